import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { DeltaLogError } from '../errors.js';
import { actionSchemas, type Action, type ActionKind } from './actions.js';

const KINDS: readonly ActionKind[] = ['protocol', 'metaData', 'txn', 'add', 'remove'];
const KEY_FIELD: Record<ActionKind, string> = {
  protocol: 'minReaderVersion', metaData: 'id', txn: 'appId', add: 'path', remove: 'path', commitInfo: 'timestamp',
};

export interface CheckpointContext {
  readonly table?: string;
  readonly version: number;
  readonly file: string;
}

/**
 * Actions held by one checkpoint Parquet file (one part of a multi-part
 * checkpoint). Rows have one non-null top-level struct column each. Spark may
 * write `add.stats_parsed` instead of the `stats` string; we keep only its
 * numRecords/nullCount, because min/max in struct form carry Parquet types
 * whose JSON rendering differs from the `stats` string, and wrong bounds
 * would make file skipping drop rows.
 */
export function parseCheckpoint(bytes: Uint8Array, ctx: CheckpointContext): Action[] {
  let table;
  try {
    table = tableFromIPC(readParquet(bytes).intoIPCStream());
  } catch (error) {
    throw new DeltaLogError('INVALID_LOG', `unreadable checkpoint Parquet: ${(error as Error).message}`, ctx, { cause: error });
  }
  const columns = KINDS.map((kind) => [kind, table.getChild(kind)] as const).filter(([, col]) => col !== null);
  const actions: Action[] = [];
  const numRows = table.numRows;
  for (let row = 0; row < numRows; row++) {
    for (const [kind, col] of columns) {
      const raw = col?.get(row);
      if (raw === null || raw === undefined) continue;
      const value = toPlain(raw) as Record<string, unknown>;
      if (kind === 'add') fillStatsFromStruct(value);
      // Some writers store an absent action as a struct of nulls rather than a null struct.
      if (value[KEY_FIELD[kind]] == null) continue;
      const parsed = actionSchemas[kind].safeParse(dropNulls(value));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new DeltaLogError('INVALID_LOG', `invalid ${kind} in checkpoint row ${row}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, ctx);
      }
      actions.push({ [kind]: parsed.data } as unknown as Action);
    }
  }
  return actions;
}

function fillStatsFromStruct(add: Record<string, unknown>): void {
  const parsed = add['stats_parsed'];
  if (add['stats'] == null && parsed && typeof parsed === 'object') {
    const p = parsed as Record<string, unknown>;
    const stats: Record<string, unknown> = {};
    if (p['numRecords'] != null) stats['numRecords'] = p['numRecords'];
    if (p['nullCount'] != null) stats['nullCount'] = p['nullCount'];
    add['stats'] = JSON.stringify(stats);
  }
  delete add['stats_parsed'];
  delete add['partitionValues_parsed'];
}

/** Arrow row values → plain JSON-like values (bigint → number, maps/structs/lists → objects/arrays). */
function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value instanceof Uint8Array) return value;
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  const json = typeof toJSON === 'function' ? toJSON.call(value) : value;
  if (Array.isArray(json)) return json.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) out[k] = toPlain(v);
  return out;
}

/** zod's `nullish` accepts null, but nested maps must stay maps: only drop top-level nulls. */
function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
  return out;
}
