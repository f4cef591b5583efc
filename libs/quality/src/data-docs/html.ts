/**
 * HTML text and attribute escaping for the Data Docs page. Every string that
 * comes from a result (suite, expectation and column names, values, errors)
 * goes through `escapeHtml` — in text, in attributes and inside inline SVG —
 * so a name like `<script>` renders as text and never as markup.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

export type AttrValue = string | number | boolean | null | undefined;

/**
 * ` name="value"` pairs, escaped; `undefined` and `null` are left out; a
 * boolean is a bare attribute or nothing, except `data-*` ones, which carry
 * `"true"`/`"false"`. Names are ours (never from data).
 */
export function attrs(values: Readonly<Record<string, AttrValue>>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    // data-* attributes carry booleans as text ("true"/"false") for tests and scripts.
    if (typeof value === 'boolean' && !name.startsWith('data-')) {
      if (value) out += ` ${name}`;
      continue;
    }
    out += ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** An element with escaped attributes around already-built inner HTML. */
export function el(tag: string, attributes: Readonly<Record<string, AttrValue>>, inner = ''): string {
  return `<${tag}${attrs(attributes)}>${inner}</${tag}>`;
}

/** An element around escaped text. */
export function textEl(tag: string, attributes: Readonly<Record<string, AttrValue>>, text: string): string {
  return el(tag, attributes, escapeHtml(text));
}

/** Escaped text with line-break opportunities after `_` (long GE type names wrap at words). */
export function breakable(text: string): string {
  return escapeHtml(text).replace(/_/g, '_<wbr>');
}
