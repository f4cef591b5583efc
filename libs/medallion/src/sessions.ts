/**
 * SessionDirectory: the latest F1Session per session_id, fed from the
 * compacted `f1-sessions` topic (key = session_id, value = JSON of F1Session
 * with `start_time_ns` as a decimal string; a null value is a tombstone).
 */
import { F1Session } from '@lakestream/schema';
import { z } from 'zod';
import { MedallionError } from './errors.js';

export type SessionApplyResult =
  | { readonly ok: true; readonly change: 'upsert' | 'delete'; readonly sessionId: string }
  | { readonly ok: false; readonly error: MedallionError };

/** The wire JSON: F1Session with start_time_ns as a decimal string (JSON has no bigint). */
const SessionJson = F1Session.extend({ start_time_ns: z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s)) });

const decoder = new TextDecoder('utf-8', { fatal: true });

export class SessionDirectory {
  private readonly sessions = new Map<string, F1Session>();

  get size(): number {
    return this.sessions.size;
  }

  get(sessionId: string): F1Session | undefined {
    return this.sessions.get(sessionId);
  }

  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Apply one `f1-sessions` record. Bad input is a value, never thrown. */
  apply(key: Uint8Array | string | null, value: Uint8Array | string | null): SessionApplyResult {
    let keyText: string | undefined;
    try {
      keyText = key === null ? undefined : typeof key === 'string' ? key : decoder.decode(key);
    } catch (err) {
      return { ok: false, error: new MedallionError('INVALID_SESSION', 'session key is not UTF-8', {}, { cause: err }) };
    }
    if (value === null) {
      if (keyText === undefined) return { ok: false, error: new MedallionError('INVALID_SESSION', 'tombstone without a key') };
      this.sessions.delete(keyText);
      return { ok: true, change: 'delete', sessionId: keyText };
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof value === 'string' ? value : decoder.decode(value));
    } catch (err) {
      return { ok: false, error: new MedallionError('INVALID_SESSION', `not JSON: ${(err as Error).message}`, keyText === undefined ? {} : { sessionId: keyText }, { cause: err }) };
    }
    const parsed = SessionJson.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'does not match F1Session';
      return { ok: false, error: new MedallionError('INVALID_SESSION', where, keyText === undefined ? {} : { sessionId: keyText }, { cause: parsed.error }) };
    }
    const session: F1Session = parsed.data;
    if (keyText !== undefined && keyText !== session.session_id) {
      return { ok: false, error: new MedallionError('INVALID_SESSION', `key ${keyText} names another session than the value (${session.session_id})`, { sessionId: keyText }) };
    }
    this.sessions.set(session.session_id, session);
    return { ok: true, change: 'upsert', sessionId: session.session_id };
  }

  /** Put a session directly (tests, or a caller that parsed it already). */
  set(session: F1Session): void {
    this.sessions.set(session.session_id, session);
  }
}

/** The `f1-sessions` value for a session: JSON with start_time_ns as a decimal string. */
export function encodeSessionJson(session: F1Session): string {
  return JSON.stringify({ ...session, start_time_ns: session.start_time_ns.toString() });
}
