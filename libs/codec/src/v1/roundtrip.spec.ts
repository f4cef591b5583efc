import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, Encoder, encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '../index.js';
import { f1Event, f1Frame, satelliteFrame, satelliteSample } from '../../test/arbitraries.js';
import {
  builderF1Event,
  builderF1Frame,
  builderSatelliteFrame,
  builderSatelliteSample,
  runtimeReadF1Event,
  runtimeReadF1Frame,
  runtimeReadSatelliteFrame,
  runtimeReadSatelliteSample,
} from '../../test/fbv1.js';

const RUNS = 2000;

function decoded(bytes: Uint8Array) {
  const result = decode(bytes, { validate: true });
  if (!result.ok) throw result.error;
  return result.value;
}

describe('encode → decode round trip (wire v1)', () => {
  it('one F1 event of any type', () => {
    fc.assert(
      fc.property(f1Event, (e) => {
        const m = decoded(encodeF1Event(e));
        expect(m).toMatchObject({ schemaId: 2, source: 'f1', shape: 'single' });
        expect(m.events).toStrictEqual([e]);
      }),
      { numRuns: RUNS },
    );
  });

  it('F1 frames', () => {
    fc.assert(
      fc.property(f1Frame, (events) => {
        const m = decoded(encodeF1Frame(events));
        expect(m).toMatchObject({ schemaId: 4, source: 'f1', shape: 'frame' });
        expect(m.events).toStrictEqual(events);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('one satellite sample', () => {
    fc.assert(
      fc.property(satelliteSample, (s) => {
        const m = decoded(encodeSatelliteSample(s));
        expect(m).toMatchObject({ schemaId: 1, source: 'satellite', shape: 'single' });
        expect(m.events).toStrictEqual([s]);
      }),
      { numRuns: RUNS },
    );
  });

  it('satellite frames', () => {
    fc.assert(
      fc.property(satelliteFrame, (samples) => {
        const m = decoded(encodeSatelliteFrame(samples));
        expect(m).toMatchObject({ schemaId: 3, source: 'satellite', shape: 'frame' });
        expect(m.events).toStrictEqual(samples);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('a reused Encoder writes the same bytes as a fresh one (no stale bytes from earlier messages)', () => {
    const reused = new Encoder({ initialCapacity: 64 });
    fc.assert(
      fc.property(fc.array(fc.oneof(f1Event, f1Frame), { minLength: 1, maxLength: 6 }), (items) => {
        for (const item of items) {
          const bytes = Array.isArray(item) ? reused.encodeF1Frame(item) : reused.encodeF1Event(item);
          const encoder = new Encoder({ initialCapacity: 64 });
          const fresh = Array.isArray(item) ? encoder.encodeF1Frame(item) : encoder.encodeF1Event(item);
          expect(Buffer.compare(bytes, fresh)).toBe(0);
        }
      }),
      { numRuns: RUNS / 10 },
    );
  });

  it('string caches stay correct beyond their size (evictions, hash collisions, shared positions)', () => {
    const base = fc.sample(f1Event, { numRuns: 1, seed: 5 })[0];
    if (!base) throw new Error('no sample');
    const names = Array.from({ length: 5000 }, (_, i) => `session-${i % 2 === 0 ? i : 4999 - i}`);
    const events = names.map((session_id, i) => ({ ...base, session_id, event_id: BigInt(i) }));
    for (let round = 0; round < 2; round++) {
      expect(decoded(encodeF1Frame(events)).events).toStrictEqual(events);
      for (const e of events.slice(0, 300)) expect(decoded(encodeF1Event(e)).events).toStrictEqual([e]);
    }
  });

  it('returned messages stay intact when later messages are encoded (shared slab)', () => {
    const encoder = new Encoder();
    const events = fc.sample(f1Event, { numRuns: 300, seed: 1 });
    const messages = events.map((e) => encoder.encodeF1Event(e));
    const copies = messages.map((m) => Uint8Array.from(m));
    for (const e of events) encoder.encodeF1Event(e);
    expect(messages.map((m) => Buffer.from(m).toString('hex'))).toStrictEqual(copies.map((m) => Buffer.from(m).toString('hex')));
    expect(messages.map((m) => decoded(m).events[0])).toStrictEqual(events);
  });
});

describe('the wire format is plain FlatBuffers (flatbuffers runtime + flatc classes)', () => {
  it('the generated readers read what we write', () => {
    fc.assert(
      fc.property(f1Frame, satelliteFrame, (events, samples) => {
        expect(runtimeReadF1Frame(encodeF1Frame(events))).toStrictEqual(events);
        expect(runtimeReadSatelliteFrame(encodeSatelliteFrame(samples))).toStrictEqual(samples);
        if (events[0]) expect(runtimeReadF1Event(encodeF1Event(events[0]))).toStrictEqual(events[0]);
        if (samples[0]) expect(runtimeReadSatelliteSample(encodeSatelliteSample(samples[0]))).toStrictEqual(samples[0]);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('we read what the flatbuffers Builder writes (defaults omitted, other layouts)', () => {
    // The Builder omits a field equal to its default, and -0 === 0: it writes -0 as absent (0).
    const noNegativeZero = <T extends object>(xs: readonly T[]): T[] =>
      xs.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])) as T);
    fc.assert(
      fc.property(f1Frame, satelliteFrame, (events, samples) => {
        expect(decoded(builderF1Frame(events)).events).toStrictEqual(noNegativeZero(events));
        expect(decoded(builderSatelliteFrame(samples)).events).toStrictEqual(noNegativeZero(samples));
        if (events[0]) expect(decoded(builderF1Event(events[0])).events).toStrictEqual(noNegativeZero([events[0]]));
        if (samples[0]) expect(decoded(builderSatelliteSample(samples[0])).events).toStrictEqual(noNegativeZero([samples[0]]));
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('zero values round-trip through the Builder, which omits them', () => {
    const zero = { type: 'dynamics', session_id: 'x', car_number: 1, lap: 0, event_id: 0n, event_time_ns: 0n, throttle_pct: 0, brake_pct: 0, gear: 0, steering_deg: 0, lateral_g: 0, longitudinal_g: 0 } as const;
    expect(decoded(builderF1Event(zero)).events).toStrictEqual([zero]);
    expect(builderF1Event(zero).length).toBeLessThan(encodeF1Event(zero).length);
  });
});
