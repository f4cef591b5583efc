import type { Schema } from 'apache-arrow';
import { z } from 'zod';
import { SinkError } from '../errors.js';
import type { ExpectedTxn } from './txn-fence.js';

/** Options are validated once at the edge; errors name the option. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, table: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SinkError('INVALID_OPTIONS', issue?.message ?? 'invalid options', { table, option: issue?.path.join('.') ?? '' });
}

const txnSchema = z.object({ appId: z.string().min(1), version: z.number().int().nonnegative() });
const commitSchema = z.object({
  maxAttempts: z.number().int().positive().optional(),
  retryJitterMs: z.number().nonnegative().optional(),
});

export interface CreateOptions {
  readonly schema: Schema;
  readonly partitionColumns?: readonly string[];
  /** Table properties, e.g. `delta.checkpointInterval`. */
  readonly configuration?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly description?: string;
}
export const createOptionsSchema = z.object({
  partitionColumns: z.array(z.string()).default([]),
  configuration: z.record(z.string(), z.string()).default({}),
  name: z.string().optional(),
  description: z.string().optional(),
});

export interface TxnId {
  readonly appId: string;
  readonly version: number;
}

export interface WriteFileOptions {
  /** Target bytes per Parquet file (data layer default when absent). */
  readonly targetFileSize?: number;
  readonly rowGroupSize?: number;
  /**
   * Threads that gather, compute stats for and Parquet-encode the files (0:
   * the calling thread). Default: one per core up to 4, and the calling
   * thread for writes under 2,048 rows.
   */
  readonly encoderThreads?: number;
}

export interface AppendOptions extends WriteFileOptions {
  /** Idempotence tokens: one per source stream (e.g. Kafka partition). */
  readonly txn?: readonly TxnId[];
  /**
   * Fencing, a compare-and-set on the txn: the commit lands only on a table
   * version whose txn version of each appId is exactly this one (`null`: no
   * txn for it yet), else `CommitConflictError` with reason `TXN_FENCED`
   * (never a skip). An appId also in `txn` must move forward: its `txn`
   * version must be greater than the expected one.
   */
  readonly expectTxn?: readonly ExpectedTxn[];
  /** Add new nullable columns to the table schema instead of refusing them. */
  readonly mergeSchema?: boolean;
  readonly maxAttempts?: number;
  readonly retryJitterMs?: number;
}
const expectedTxnSchema = z.object({ appId: z.string().min(1), version: z.number().int().nonnegative().nullable() });
export const appendOptionsSchema = commitSchema.extend({
  txn: z.array(txnSchema).default([]),
  expectTxn: z.array(expectedTxnSchema).default([]),
  mergeSchema: z.boolean().default(false),
  targetFileSize: z.number().int().positive().optional(),
  rowGroupSize: z.number().int().positive().optional(),
  encoderThreads: z.number().int().nonnegative().max(64).optional(),
}).superRefine((o, ctx) => {
  const seen = new Set<string>();
  o.expectTxn.forEach((e, i) => {
    if (seen.has(e.appId)) ctx.addIssue({ code: 'custom', message: `appId ${e.appId} is expected twice`, path: ['expectTxn', i, 'appId'] });
    seen.add(e.appId);
    const moved = o.txn.find((t) => t.appId === e.appId);
    if (moved !== undefined && e.version !== null && moved.version <= e.version) {
      ctx.addIssue({ code: 'custom', message: `txn ${e.appId}@${moved.version} does not move past the expected version ${e.version}`, path: ['txn', o.txn.indexOf(moved), 'version'] });
    }
  });
});

export interface OverwriteOptions extends WriteFileOptions {
  /**
   * Replace only the files whose partition values equal these (serialized
   * Delta partition values, `null` for a null partition). Every new row must
   * fall inside. Absent: replace the whole table.
   */
  readonly where?: Readonly<Record<string, string | null>>;
  readonly maxAttempts?: number;
  readonly retryJitterMs?: number;
}
export const overwriteOptionsSchema = commitSchema.extend({
  where: z.record(z.string(), z.string().nullable()).optional(),
  targetFileSize: z.number().int().positive().optional(),
  rowGroupSize: z.number().int().positive().optional(),
  encoderThreads: z.number().int().nonnegative().max(64).optional(),
});

export interface VersionSelector {
  /** A whole number; one the log does not hold (negative, past the latest) is `VERSION_NOT_FOUND`. */
  readonly version?: number;
  /** Date or epoch milliseconds; the newest commit at or before it. */
  readonly timestamp?: Date | number;
}
/** Fractional, NaN, infinite or unsafe versions and invalid dates are `INVALID_OPTIONS` at the edge, not a RangeError later. */
export const versionSelectorSchema = z
  .object({
    version: z.number({ error: 'version must be a number' }).int({ error: 'version must be a whole number (a safe integer)' }).optional(),
    timestamp: z.union([z.date({ error: 'timestamp must be a valid Date' }), z.number({ error: 'timestamp must be finite epoch milliseconds' })], { error: 'timestamp must be a Date or epoch milliseconds' }).optional(),
  })
  .refine((at) => at.version === undefined || at.timestamp === undefined, { error: 'give version or timestamp, not both', path: ['timestamp'] });
