/**
 * Durations (`500ms`, `5s`, `1.5m`, `6h`) and byte sizes (`64MiB`, `1GB`,
 * `4096`) as flags spell them. Pure parsers: a value or `undefined`.
 */

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds (rounded to a whole ms), or undefined when `text` is not `<number><ms|s|m|h|d>`. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * DURATION_UNITS_MS[m[2] as keyof typeof DURATION_UNITS_MS]);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact spelling of a whole number of ms (`5s`, `1m`, `1500ms`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS_MS[unit];
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const SIZE_UNITS = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
} as const;
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/** Bytes (rounded down to a whole byte), or undefined when `text` is not `<number>[B|KB|MB|GB|TB|KiB|MiB|GiB|TiB]`. */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const unit = m[2] as string;
  if (!(unit in SIZE_UNITS)) return undefined;
  const bytes = Math.floor(Number(m[1]) * SIZE_UNITS[unit as keyof typeof SIZE_UNITS]);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Bytes with the largest binary unit that divides them exactly (`64MiB`, `1536B`). */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
