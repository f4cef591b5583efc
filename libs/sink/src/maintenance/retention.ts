import { SinkError, type SinkErrorContext } from '../errors.js';
import { tombstoneRetentionMs } from '../log/checkpoint-write.js';
import { HOUR_MS, parseInterval } from '../log/interval.js';

export { HOUR_MS, parseInterval };

/**
 * Retention windows of the maintenance operations, from table properties
 * (PROTOCOL.md / Spark `DeltaConfigs`): `delta.deletedFileRetentionDuration`
 * (default 1 week) guards vacuum, `delta.logRetentionDuration` (default 30
 * days) guards log cleanup. Values are Spark calendar intervals
 * ("interval 7 days"), parsed by `../log/interval.ts`.
 */
export const DEFAULT_VACUUM_RETENTION_HOURS = 168;
export const DEFAULT_LOG_RETENTION_HOURS = 720;

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
