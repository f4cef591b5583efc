import { describe, expect, it } from 'vitest';
import { SESSION } from '../test/fixtures.js';
import { encodeSessionJson, SessionDirectory } from './index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('SessionDirectory', () => {
  it('keeps the latest F1Session per id from f1-sessions JSON (start_time_ns as decimal text), tombstones delete', () => {
    const dir = new SessionDirectory();
    expect(dir.apply(bytes(SESSION.session_id), bytes(encodeSessionJson(SESSION)))).toEqual({ ok: true, change: 'upsert', sessionId: SESSION.session_id });
    expect(dir.get(SESSION.session_id)).toEqual(SESSION);
    dir.apply(SESSION.session_id, encodeSessionJson({ ...SESSION, track: 'Sakhir' }));
    expect(dir.get(SESSION.session_id)?.track).toBe('Sakhir');
    expect(dir.apply(bytes(SESSION.session_id), null)).toMatchObject({ ok: true, change: 'delete' });
    expect(dir.has(SESSION.session_id)).toBe(false);
  });

  it('returns bad messages as INVALID_SESSION values and keeps what it had', () => {
    const dir = new SessionDirectory();
    dir.set(SESSION);
    const bad = [
      dir.apply('x', '{not json'),
      dir.apply('x', JSON.stringify({ ...JSON.parse(encodeSessionJson(SESSION)), session_type: 'SPRINT_SHOOTOUT' })),
      dir.apply('x', JSON.stringify({ ...JSON.parse(encodeSessionJson(SESSION)), start_time_ns: 12 })),
      dir.apply('another-id', encodeSessionJson(SESSION)),
      // eslint-disable-next-line prefer-spread -- SessionDirectory.apply, not Function.prototype.apply
      dir.apply(null, null),
      dir.apply(Uint8Array.of(0xff), encodeSessionJson(SESSION)),
    ];
    for (const r of bad) expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_SESSION', retriable: false } });
    expect(dir.get(SESSION.session_id)).toEqual(SESSION);
    expect(dir.size).toBe(1);
  });
});
