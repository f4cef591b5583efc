import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f1Event, f1Frame, satelliteFrame, satelliteSample } from '../test/arbitraries.js';
import { slowPath } from './f1-columns.js';
import { decode, decodeF1Into, encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample, F1EventColumns } from './index.js';

/** A valid F1 message, single or framed. */
const f1Message = fc.oneof(f1Event.map(encodeF1Event), f1Frame.map(encodeF1Frame));

/** Corrupted copies of valid messages: truncated, bytes overwritten, or random bytes. */
const corrupt: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.oneof(f1Message, satelliteSample.map(encodeSatelliteSample)), fc.nat()).map(([m, cut]) => m.subarray(0, cut % (m.length + 1))),
  fc.tuple(f1Message, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([m, edits]) => {
    const copy = Uint8Array.from(m);
    for (const [at, b] of edits) copy[at % copy.length] = b;
    return copy;
  }),
  fc.uint8Array({ maxLength: 64 }),
);

const anyMessage = fc.oneof(
  { weight: 3, arbitrary: f1Message },
  { weight: 1, arbitrary: fc.oneof(satelliteSample.map(encodeSatelliteSample), satelliteFrame.map(encodeSatelliteFrame)) },
  { weight: 3, arbitrary: corrupt },
);

describe('decodeF1Into (column-wise decode)', () => {
  it('appends exactly the events decode() returns and reports exactly its errors, message after message (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(anyMessage, { maxLength: 12 }), (messages) => {
        const columns = new F1EventColumns(4);
        const expected: unknown[] = [];
        for (const m of messages) {
          const want = decode(m);
          const got = decodeF1Into(m, columns);
          if (!want.ok) {
            expect(got.ok).toBe(false);
            if (!got.ok) {
              expect(got.error.code).toBe(want.error.code);
              expect(got.error.message).toBe(want.error.message);
              expect(got.error.context).toStrictEqual(want.error.context);
            }
            continue;
          }
          expect(got).toStrictEqual({ ok: true, source: want.value.source, schemaId: want.value.schemaId, shape: want.value.shape, count: want.value.source === 'f1' ? want.value.events.length : 0 });
          if (want.value.source === 'f1') expected.push(...want.value.events);
        }
        expect(columns.length).toBe(expected.length);
        expect(Array.from({ length: columns.length }, (_, i) => columns.event(i))).toStrictEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads valid F1 messages on the column path, never through the decode() fallback (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(f1Message, { minLength: 1, maxLength: 8 }), (messages) => {
        const columns = new F1EventColumns(1);
        const before = slowPath.calls;
        for (const m of messages) expect(decodeF1Into(m, columns).ok).toBe(true);
        expect(slowPath.calls).toBe(before);
        const expected = messages.flatMap((m): unknown[] => { const r = decode(m); return r.ok ? r.value.events : []; });
        expect(Array.from({ length: columns.length }, (_, i) => columns.event(i))).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('push() and event() round-trip decoded events; clear() empties', () => {
    const columns = new F1EventColumns(1);
    const events = fc.sample(f1Event, 30);
    for (const e of events) columns.push(e);
    expect(Array.from({ length: columns.length }, (_, i) => columns.event(i))).toStrictEqual(events);
    columns.clear();
    expect(columns.length).toBe(0);
  });
});
