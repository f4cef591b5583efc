/**
 * The bronze payload column is byte for byte JSON.stringify of each decoded
 * event's payload fields (the column is cut out of one JSON.stringify of all
 * values): any doubles (NaN, ±Infinity, -0, huge, tiny) and any strings
 * (quotes, backslashes, commas, brackets, non-ASCII) in any event mix.
 */
import { decode, encodeF1Frame } from '@lakestream/codec';
import { F1_PAYLOAD_FIELDS, type F1Event } from '@lakestream/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { context, position, record } from '../test/fixtures.js';
import { transformF1 } from './index.js';

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).chain((s) => fc.constantFrom(s, `${s},"]}\\`, `[${s}]`, 'a,b', '"q"'));
const event: fc.Arbitrary<F1Event> = fc.oneof(
  fc.record({ id: fc.nat(1000), x: fc.double(), y: fc.double(), s: fc.integer({ min: 0, max: 255 }) }).map(({ id, x, y, s }) => position(id, { x_m: x, speed_kph: y, sector: s } as never)),
  fc.record({ id: fc.nat(1000), drs: fc.boolean(), d: fc.double() }).map(({ id, drs, d }) => position(id, { type: 'aerodynamics', drs_open: drs, front_wing_deg: d, rear_wing_deg: -0, brake_balance_pct: 1e21, downforce_n: 5e-324 } as never)),
  fc.record({ id: fc.nat(1000), code: text, message: text }).map(({ id, code, message }) => position(id, { type: 'system', code, severity: 'INFO', message, flag: 'GREEN' } as never)),
).map((e) => stripForeign(e));

/** Keeps only the common fields and the event type's own payload fields. */
function stripForeign(e: F1Event): F1Event {
  const keep = new Set(['type', 'session_id', 'car_number', 'lap', 'event_id', 'event_time_ns', ...Object.keys(F1_PAYLOAD_FIELDS[e.type])]);
  return Object.fromEntries(Object.entries(e).filter(([k]) => keep.has(k))) as unknown as F1Event;
}

describe('bronze payload column', () => {
  it('is JSON.stringify of each decoded event payload, in field declaration order (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(event, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (frames) => {
        const records = frames.map((es, k) => record(encodeF1Frame(es), k));
        const payload = transformF1(records, context()).tables.bronze?.getChild('payload');
        const expected = records.flatMap((r) => {
          const d = decode(r.value as Uint8Array);
          if (!d.ok || d.value.source !== 'f1') return [];
          return d.value.events.map((e) => JSON.stringify(Object.fromEntries(Object.keys(F1_PAYLOAD_FIELDS[e.type]).map((f) => [f, (e as unknown as Record<string, unknown>)[f]]))));
        });
        expect(payload?.toArray()).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
