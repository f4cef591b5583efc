import { DeltaLogError } from '../errors.js';
import { actionSchemas, type Action, type ActionKind } from './actions.js';

export const LOG_DIR = '_delta_log';

/** `_delta_log/00000000000000000042.json`: versions are zero-padded to 20 digits. */
export function commitPath(version: number): string {
  return `${LOG_DIR}/${padVersion(version)}.json`;
}

export function padVersion(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`bad Delta version ${version}`);
  return String(version).padStart(20, '0');
}

/** What a file name in `_delta_log/` is, or `undefined` for files we do not read. */
export type LogFileName =
  | { readonly kind: 'commit'; readonly version: number }
  | { readonly kind: 'checkpoint'; readonly version: number; readonly part: number; readonly parts: number }
  | { readonly kind: 'last_checkpoint' };

const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_CHECKPOINT_RE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART_CHECKPOINT_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

export function parseLogFileName(path: string): LogFileName | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '_last_checkpoint') return { kind: 'last_checkpoint' };
  let m = COMMIT_RE.exec(name);
  if (m) return { kind: 'commit', version: Number(m[1]) };
  m = CLASSIC_CHECKPOINT_RE.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: 1, parts: 1 };
  m = MULTIPART_CHECKPOINT_RE.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: Number(m[2]), parts: Number(m[3]) };
  return undefined;
}

/** Newline-delimited JSON, one action per line, in the order given. */
export function encodeCommit(actions: readonly Action[]): Uint8Array {
  return new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}

export interface ParseContext {
  readonly table?: string;
  readonly version: number;
}

/**
 * Parse and validate a commit file. Lines holding no action kind we model
 * (`cdc`, `domainMetadata`, kinds a newer protocol adds) are dropped, as
 * PROTOCOL.md requires of readers: a table whose state depends on them is
 * refused by the protocol check, not here. Unknown fields inside a known
 * action are dropped too. A known action that is malformed, or a line that
 * is not a JSON object, is an `INVALID_LOG` error naming the table, version
 * and line.
 */
export function parseCommit(bytes: Uint8Array, ctx: ParseContext): Action[] {
  const text = new TextDecoder().decode(bytes);
  const file = commitPath(ctx.version);
  const actions: Action[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const where = { table: ctx.table, version: ctx.version, file, line: i + 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DeltaLogError('INVALID_LOG', `not JSON: ${(error as Error).message}`, where, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DeltaLogError('INVALID_LOG', 'a line must be a JSON object holding one action', where);
    }
    const kind = Object.keys(value).find((k) => Object.hasOwn(actionSchemas, k)) as ActionKind | undefined;
    if (kind === undefined) continue; // an action kind we do not model (IGNORED_ACTIONS or newer): readers ignore it
    const parsed = actionSchemas[kind].safeParse((value as Record<string, unknown>)[kind]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DeltaLogError('INVALID_LOG', `invalid ${kind}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), where);
    }
    actions.push({ [kind]: parsed.data } as unknown as Action);
  }
  return actions;
}
