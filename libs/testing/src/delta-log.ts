/**
 * Independent replay of a Delta table's `_delta_log`: the newest single-file
 * checkpoint (read by DuckDB's `read_parquet`), then the JSON commits after it
 * (parsed here), add/remove reconciled per path, txn kept per appId. Nothing is
 * shared with `@lakestream/sink`: this checks our writer rather than trusting it.
 *
 * Not implemented (refused with DELTA_UNSUPPORTED): multi-part checkpoints,
 * v2 / sidecar checkpoints, deletion vectors, column mapping.
 */
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DeltaReadError } from './errors.js';
import { parseDeltaSchema, quoteString, type DeltaSchemaField } from './delta-types.js';

export interface DeltaActiveFile {
  /** The `add.path` as written in the log (URL-encoded, relative to the table). */
  readonly path: string;
  /** Absolute path on disk. */
  readonly absolutePath: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
}

export interface DeltaLogState {
  readonly dir: string;
  /** Latest version in the log; -1 when there is no commit yet. */
  readonly version: number;
  /** Version of the checkpoint the replay started from, if any. */
  readonly checkpointVersion: number | null;
  readonly schema: readonly DeltaSchemaField[];
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly protocol: { readonly minReaderVersion: number; readonly minWriterVersion: number; readonly readerFeatures?: readonly string[] };
  /** Active files, sorted by path. */
  readonly files: readonly DeltaActiveFile[];
  /** `txn` actions: appId → version (the latest action per appId wins). */
  readonly txns: ReadonlyMap<string, number>;
}

interface RawAdd {
  path: string;
  partitionValues?: Record<string, string | null> | null;
  size?: number;
  deletionVector?: unknown;
}
interface RawAction {
  add?: RawAdd | null;
  remove?: { path: string } | null;
  txn?: { appId: string; version: number | string } | null;
  metaData?: { schemaString: string; partitionColumns?: string[] | null; configuration?: Record<string, string> | null } | null;
  protocol?: { minReaderVersion: number; minWriterVersion: number; readerFeatures?: string[] | null } | null;
}

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_PART = /^(\d{20})\.checkpoint\.\d{10}\.\d{10}\.parquet$/;
const UNSUPPORTED_READER_FEATURES = new Set(['deletionVectors', 'columnMapping', 'v2Checkpoint']);

/** The latest version of the table at `dir` (-1 when `_delta_log` holds no commit). */
export async function deltaLogVersion(dir: string): Promise<number> {
  const { commits, checkpoints } = await listLog(dir);
  const latest = Math.max(-1, ...commits, ...checkpoints);
  return latest;
}

/** Replays the log of the table at `dir`; `db` reads the checkpoint Parquet. */
export async function readDeltaLog(db: DuckDBConnection, dir: string): Promise<DeltaLogState> {
  const { logDir, commits, checkpoints, multiPart } = await listLog(dir);
  if (commits.length === 0 && checkpoints.length === 0) {
    throw new DeltaReadError('DELTA_LOG_INVALID', `${dir} has no Delta commit (empty or missing _delta_log)`, { table: dir });
  }
  const checkpointVersion = checkpoints.length > 0 ? Math.max(...checkpoints) : null;
  const newestMultiPart = multiPart.length > 0 ? Math.max(...multiPart) : -1;
  if (newestMultiPart > (checkpointVersion ?? -1)) {
    throw new DeltaReadError('DELTA_UNSUPPORTED', `${dir}: multi-part checkpoints are not supported by this reader`, { table: dir, version: newestMultiPart });
  }
  const after = commits.filter((v) => v > (checkpointVersion ?? -1)).sort((a, b) => a - b);
  let expected = (checkpointVersion ?? -1) + 1;
  for (const v of after) {
    if (v !== expected) throw new DeltaReadError('DELTA_LOG_INVALID', `${dir}: commit ${expected} is missing (next is ${v})`, { table: dir, version: expected });
    expected = v + 1;
  }

  const state = new ReplayState(dir);
  if (checkpointVersion !== null) {
    const file = join(logDir, `${String(checkpointVersion).padStart(20, '0')}.checkpoint.parquet`);
    for (const action of await readCheckpoint(db, file, dir)) state.apply(action, checkpointVersion);
  }
  for (const v of after) {
    const file = join(logDir, `${String(v).padStart(20, '0')}.json`);
    const text = await readFile(file, 'utf8');
    for (const [i, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      let action: RawAction;
      try {
        action = JSON.parse(line) as RawAction;
      } catch (cause) {
        throw new DeltaReadError('DELTA_LOG_INVALID', `${file} line ${i + 1} is not JSON`, { table: dir, version: v, file }, { cause });
      }
      state.apply(action, v);
    }
  }
  return state.finish(after.at(-1) ?? (checkpointVersion as number), checkpointVersion);
}

class ReplayState {
  private readonly files = new Map<string, DeltaActiveFile>();
  private readonly txns = new Map<string, number>();
  private metaData: NonNullable<RawAction['metaData']> | null = null;
  private protocol: NonNullable<RawAction['protocol']> | null = null;

  constructor(private readonly dir: string) {}

  apply(action: RawAction, version: number): void {
    if (action.add) {
      if (action.add.deletionVector) {
        throw new DeltaReadError('DELTA_UNSUPPORTED', `${this.dir}: deletion vectors are not supported (${action.add.path})`, { table: this.dir, version, file: action.add.path });
      }
      const path = action.add.path;
      this.files.set(path, { path, absolutePath: resolveDataPath(this.dir, path), partitionValues: action.add.partitionValues ?? {}, size: Number(action.add.size ?? 0) });
    }
    if (action.remove) this.files.delete(action.remove.path);
    if (action.txn) this.txns.set(action.txn.appId, Number(action.txn.version));
    if (action.metaData) this.metaData = action.metaData;
    if (action.protocol) this.protocol = action.protocol;
  }

  finish(version: number, checkpointVersion: number | null): DeltaLogState {
    if (!this.metaData) throw new DeltaReadError('DELTA_LOG_INVALID', `${this.dir}: no metaData action in the log`, { table: this.dir, version });
    if (!this.protocol) throw new DeltaReadError('DELTA_LOG_INVALID', `${this.dir}: no protocol action in the log`, { table: this.dir, version });
    const unsupported = (this.protocol.readerFeatures ?? []).filter((f) => UNSUPPORTED_READER_FEATURES.has(f));
    if (unsupported.length > 0) {
      throw new DeltaReadError('DELTA_UNSUPPORTED', `${this.dir}: reader features ${unsupported.join(', ')} are not supported`, { table: this.dir, version });
    }
    const configuration = this.metaData.configuration ?? {};
    if ((configuration['delta.columnMapping.mode'] ?? 'none') !== 'none') {
      throw new DeltaReadError('DELTA_UNSUPPORTED', `${this.dir}: column mapping is not supported`, { table: this.dir, version });
    }
    const protocol = {
      minReaderVersion: Number(this.protocol.minReaderVersion),
      minWriterVersion: Number(this.protocol.minWriterVersion),
      ...(this.protocol.readerFeatures ? { readerFeatures: this.protocol.readerFeatures } : {}),
    };
    return {
      dir: this.dir,
      version,
      checkpointVersion,
      schema: parseDeltaSchema(this.metaData.schemaString, this.dir),
      partitionColumns: this.metaData.partitionColumns ?? [],
      configuration,
      protocol,
      files: [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      txns: new Map(this.txns),
    };
  }
}

/** `add.path` is a URI reference: relative (percent-encoded) to the table root, or absolute (`file:`). */
function resolveDataPath(dir: string, path: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) {
    if (path.startsWith('file:')) return fileURLToPath(path);
    throw new DeltaReadError('DELTA_UNSUPPORTED', `${dir}: data file URI ${path} is not local`, { table: dir, file: path });
  }
  const decoded = decodeURIComponent(path);
  return isAbsolute(decoded) ? decoded : join(dir, decoded);
}

async function listLog(dir: string): Promise<{ logDir: string; commits: number[]; checkpoints: number[]; multiPart: number[] }> {
  const logDir = join(dir, '_delta_log');
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { logDir, commits: [], checkpoints: [], multiPart: [] };
    throw new DeltaReadError('DELTA_LOG_INVALID', `cannot list ${logDir}`, { table: dir }, { cause });
  }
  const commits: number[] = [];
  const checkpoints: number[] = [];
  const multiPart: number[] = [];
  for (const name of names) {
    const c = COMMIT.exec(name);
    if (c) commits.push(Number(c[1]));
    const k = CHECKPOINT.exec(name);
    if (k) checkpoints.push(Number(k[1]));
    const m = MULTI_PART.exec(name);
    if (m) multiPart.push(Number(m[1]));
  }
  return { logDir, commits, checkpoints, multiPart };
}

const CHECKPOINT_COLUMNS = ['add', 'remove', 'txn', 'metaData', 'protocol'] as const;

/** Actions of a single-file checkpoint, each column turned into JSON by DuckDB and parsed here. */
async function readCheckpoint(db: DuckDBConnection, file: string, table: string): Promise<RawAction[]> {
  const source = `read_parquet(${quoteString(file)})`;
  const present = new Set((await run(db, `DESCRIBE SELECT * FROM ${source}`, table)).map((r) => String(r['column_name'])));
  const columns = CHECKPOINT_COLUMNS.filter((c) => present.has(c));
  if (columns.length === 0) throw new DeltaReadError('DELTA_LOG_INVALID', `${file} has none of the checkpoint columns`, { table, file });
  const sql = `SELECT ${columns.map((c) => `to_json("${c}") AS "${c}"`).join(', ')} FROM ${source}
    WHERE ${columns.map((c) => `"${c}" IS NOT NULL`).join(' OR ')}`;
  const rows = await run(db, sql, table);
  return rows.map((row) => {
    const action: Record<string, unknown> = {};
    for (const c of columns) {
      const value = row[c];
      if (typeof value === 'string') action[c] = JSON.parse(value) as unknown;
    }
    // In a checkpoint, a remove is a tombstone for files already gone: it must not delete a later re-add.
    delete action['remove'];
    return action as RawAction;
  });
}

async function run(db: DuckDBConnection, sql: string, table: string): Promise<Record<string, unknown>[]> {
  try {
    return (await db.runAndReadAll(sql)).getRowObjectsJS();
  } catch (cause) {
    throw new DeltaReadError('DUCKDB_QUERY_FAILED', `DuckDB failed on ${table}: ${(cause as Error).message}`, { table, sql }, { cause });
  }
}
