import { SinkError, type SinkErrorContext } from '../errors.js';
import { tombstoneRetentionMs } from '../log/checkpoint-write.js';

/**
 * Retention windows of the maintenance operations, from table properties
 * (PROTOCOL.md / Spark `DeltaConfigs`): `delta.deletedFileRetentionDuration`
 * (default 1 week) guards vacuum, `delta.logRetentionDuration` (default 30
 * days) guards log cleanup. Values are Spark calendar intervals
 * ("interval 7 days"); we accept the units Spark tables use in practice.
 */
export const HOUR_MS = 3_600_000;
export const DEFAULT_VACUUM_RETENTION_HOURS = 168;
export const DEFAULT_LOG_RETENTION_HOURS = 720;

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

/** The shortest vacuum retention the table allows (same parse as the checkpoint writer's tombstone expiry). */
export function deletedFileRetentionMs(configuration: Readonly<Record<string, string | null>>): number {
  return tombstoneRetentionMs(configuration);
}

export function logRetentionMs(configuration: Readonly<Record<string, string | null>>): number {
  return parseInterval(configuration['delta.logRetentionDuration']) ?? DEFAULT_LOG_RETENTION_HOURS * HOUR_MS;
}

export function toEpochMs(now: Date | number | undefined): number {
  if (now === undefined) return Date.now();
  return now instanceof Date ? now.getTime() : now;
}

/**
 * A vacuum retention shorter than the table's `delta.deletedFileRetentionDuration`
 * could delete files that a reader at a recent version (or a writer still
 * committing) needs. Refused unless the caller says `enforceRetention: false`.
 * Code `INVALID_OPTIONS`, option `retentionHours`.
 */
export class RetentionTooShortError extends SinkError {
  override readonly name = 'RetentionTooShortError';
  constructor(
    readonly retentionHours: number,
    readonly minimumHours: number,
    context: SinkErrorContext = {},
  ) {
    super(
      'INVALID_OPTIONS',
      `retention of ${retentionHours} h is shorter than the table's delta.deletedFileRetentionDuration (${minimumHours} h); pass enforceRetention: false to vacuum anyway`,
      { ...context, option: 'retentionHours' },
    );
  }
}
