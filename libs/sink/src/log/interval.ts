/**
 * Spark calendar intervals as Delta table properties use them
 * (`delta.deletedFileRetentionDuration`, `delta.logRetentionDuration`):
 * "interval 7 days", "interval 1 week", or without the keyword ("2 hours").
 * One grammar for the whole lib: the checkpoint writer's tombstone expiry
 * and the maintenance retentions both parse here.
 */
export const HOUR_MS = 3_600_000;

const UNIT_MS: Readonly<Record<string, number>> = {
  millisecond: 1, second: 1000, minute: 60_000, hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS,
};

/** "interval 30 days" → ms; `undefined` when absent or not understood (the caller applies its default). */
export function parseInterval(raw: string | null | undefined): number | undefined {
  if (raw == null) return undefined;
  const m = /^\s*(?:interval\s+)?(\d+)\s+(millisecond|second|minute|hour|day|week)s?\s*$/i.exec(raw);
  const unit = m?.[2] === undefined ? undefined : UNIT_MS[m[2].toLowerCase()];
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}
