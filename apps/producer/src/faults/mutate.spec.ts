import { decode, Encoder } from '@lakestream/codec';
import { F1_EVENT_SCHEMAS, F1_EVENT_TYPES, SatelliteSample, type F1Event } from '@lakestream/schema';
import { F1Simulator } from '@lakestream/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corruptMessage, dropF1CarNumber, f1Late, f1OutOfRange, f1UnknownSession, f1WithoutCar, LATE_BY_NS, satelliteLate, satelliteOutOfRange } from './mutate.js';
import { CORRUPTIONS } from './plan.js';

/** libs/quality's DEFAULT_MAX_AGE_MS (6 h): a late event must be older than that. */
const QUALITY_MAX_AGE_NS = 6n * 3_600_000_000_000n;

const encoder = new Encoder();
const START_NS = BigInt(Date.parse('2026-03-08T15:00:00Z')) * 1_000_000n;
const POOL: F1Event[] = [];
for (const event of new F1Simulator({ cars: 20, seed: 5, startTimeNs: START_NS }).events()) {
  POOL.push(event);
  if (POOL.length >= 5_000) break;
}
const anyF1 = fc.nat({ max: POOL.length - 1 }).map((i) => POOL[i] as F1Event);
const anyF1Frame = fc.array(anyF1, { minLength: 1, maxLength: 40 });
const unit = fc.double({ min: -1, max: 1, noNaN: true });
const anySample: fc.Arbitrary<SatelliteSample> = fc.record({
  satellite: fc.stringMatching(/^sat\d{1,3}$/),
  timestamp_ns: fc.bigInt({ min: START_NS, max: START_NS + 10n ** 15n }),
  temp_c: fc.double({ min: -100, max: 120, noNaN: true }),
  battery_charge_pct: fc.double({ min: 0, max: 100, noNaN: true }),
  altitude: fc.double({ min: 160, max: 2000, noNaN: true }),
  sensor1: unit,
  sensor2: unit,
  sensor3: unit,
});

const EXPECTED_CODE = { bad_magic: 'BAD_MAGIC', unknown_schema: 'UNKNOWN_SCHEMA', truncated: 'TRUNCATED', bad_root: 'INVALID_BUFFER' } as const;

function validF1(event: F1Event): boolean {
  return F1_EVENT_SCHEMAS[event.type].safeParse(event).success;
}

describe('fault mutations, checked with @lakestream/codec decode()', () => {
  it('the pool covers every F1 event type and is schema-valid', () => {
    expect(new Set(POOL.map((e) => e.type))).toEqual(new Set(F1_EVENT_TYPES));
    expect(POOL.every(validF1)).toBe(true);
  });

  it('corrupt: every corruption of every message shape fails decode with its codec code', () => {
    const messages = fc.oneof(
      anyF1.map((e) => encoder.encodeF1Event(e)),
      anyF1Frame.map((es) => encoder.encodeF1Frame(es)),
      anySample.map((s) => encoder.encodeSatelliteSample(s)),
      fc.array(anySample, { minLength: 1, maxLength: 20 }).map((ss) => encoder.encodeSatelliteFrame(ss)),
    );
    fc.assert(
      fc.property(messages, fc.constantFrom(...CORRUPTIONS), (message, how) => {
        const original = Uint8Array.from(message);
        const result = decode(corruptMessage(message, how));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(EXPECTED_CODE[how]);
        expect(message).toEqual(original); // the input is not touched
      }),
      { numRuns: 400 },
    );
  });

  it('out_of_range: encodes, decodes to the faulty value, and fails the schema range (decode validate = INVALID_EVENT)', () => {
    fc.assert(
      fc.property(anyF1, fc.boolean(), (event, framed) => {
        const faulty = f1OutOfRange(event);
        expect(validF1(faulty)).toBe(false);
        const decoded = decode(framed ? encoder.encodeF1Frame([event, faulty]) : encoder.encodeF1Event(faulty));
        expect(decoded.ok).toBe(true);
        if (decoded.ok) expect(decoded.value.events.at(-1)).toEqual(faulty);
        const validated = decode(encoder.encodeF1Event(faulty), { validate: true });
        expect(validated.ok ? undefined : validated.error.code).toBe('INVALID_EVENT');
      }),
    );
    fc.assert(
      fc.property(anySample, (sample) => {
        const faulty = satelliteOutOfRange(sample);
        expect(SatelliteSample.safeParse(faulty).success).toBe(false);
        const decoded = decode(encoder.encodeSatelliteSample(faulty));
        expect(decoded.ok && decoded.value.events[0]).toEqual(faulty);
      }),
    );
  });

  it('null_required: car_number absent from a one-event message (vtable entry zeroed) or 0 in a frame decodes as 0 and fails the schema', () => {
    fc.assert(
      fc.property(anyF1, anyF1Frame, (event, others) => {
        const single = decode(dropF1CarNumber(encoder.encodeF1Event(event)));
        expect(single.ok).toBe(true);
        if (!single.ok) return;
        expect(single.value.events[0]).toEqual({ ...event, car_number: 0 });
        expect(validF1(single.value.events[0] as F1Event)).toBe(false);
        // In a frame the event carries 0 explicitly; every other event keeps its car.
        const frame = [...others, f1WithoutCar(event)];
        const framed = decode(encoder.encodeF1Frame(frame));
        expect(framed.ok && framed.value.events).toEqual(frame);
      }),
    );
  });

  it('dropF1CarNumber rewrites only the 2-byte vtable entry of car_number, in a copy', () => {
    const message = encoder.encodeF1Event(POOL[0] as F1Event);
    const dropped = dropF1CarNumber(message);
    expect(dropped.length).toBe(message.length);
    const changed = [...dropped.keys()].filter((i) => dropped[i] !== message[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(Math.max(...changed) - Math.min(...changed)).toBeLessThanOrEqual(1);
    // Dropping twice changes nothing more.
    expect(dropF1CarNumber(dropped)).toEqual(dropped);
  });

  it('unknown_session: a valid event whose session id differs from the published one', () => {
    fc.assert(
      fc.property(anyF1, fc.string({ minLength: 1, maxLength: 64 }), (event, id) => {
        const faulty = f1UnknownSession({ ...event, session_id: id });
        expect(faulty.session_id).not.toBe(id);
        expect(faulty.session_id.length).toBeLessThanOrEqual(64);
        expect(validF1(faulty)).toBe(true);
        const decoded = decode(encoder.encodeF1Event(faulty), { validate: true });
        expect(decoded.ok && decoded.value.events[0]).toEqual(faulty);
      }),
    );
  });

  it('late: schema-valid, decodable, and older than libs/quality\'s 6 h maximum age', () => {
    expect(LATE_BY_NS).toBeGreaterThan(QUALITY_MAX_AGE_NS);
    fc.assert(
      fc.property(anyF1, anySample, (event, sample) => {
        const f = f1Late(event);
        expect(event.event_time_ns - f.event_time_ns).toBe(LATE_BY_NS);
        expect(decode(encoder.encodeF1Event(f), { validate: true }).ok).toBe(true);
        const s = satelliteLate(sample);
        expect(sample.timestamp_ns - s.timestamp_ns).toBe(LATE_BY_NS);
        expect(decode(encoder.encodeSatelliteSample(s), { validate: true }).ok).toBe(true);
      }),
    );
  });
});
