/**
 * Delta column names are case-insensitive (PROTOCOL.md; Spark resolves them
 * so): `ID` in appended data is the table's `id`. This is the one rule every
 * part of the sink uses to match a name with a column: schema merge, the
 * write's column gather, partition columns, read column selection, nested
 * struct fields. An exact match wins; otherwise the case-insensitive one.
 */

/** The key two names share when they name the same column. */
export function columnKey(name: string): string {
  return name.toLowerCase();
}

/** True when `a` and `b` name the same column. */
export function sameColumnName(a: string, b: string): boolean {
  return a === b || columnKey(a) === columnKey(b);
}

/** Index of the field `name` resolves to in `fields`, or -1. */
export function findColumn(fields: readonly { readonly name: string }[], name: string): number {
  const exact = fields.findIndex((f) => f.name === name);
  if (exact >= 0) return exact;
  const key = columnKey(name);
  return fields.findIndex((f) => columnKey(f.name) === key);
}

/** True when `name` resolves to one of `names` (e.g. the table's partition columns). */
export function includesColumn(names: readonly string[], name: string): boolean {
  return names.some((n) => sameColumnName(n, name));
}
