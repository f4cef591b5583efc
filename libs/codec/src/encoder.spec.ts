import { describe, expect, it } from 'vitest';
import type { F1Event, SatelliteSample } from '@lakestream/schema';
import { CodecError, Encoder, encodeF1Event, encodeF1Frame, encodeSatelliteSample } from './index.js';

const system: F1Event = {
  type: 'system',
  session_id: 's1',
  car_number: 1,
  lap: 0,
  event_id: 0n,
  event_time_ns: 0n,
  code: 'OK',
  severity: 'INFO',
  message: '',
  flag: 'GREEN',
};
const sample: SatelliteSample = { satellite: 'sat0', timestamp_ns: 1n, temp_c: 20, battery_charge_pct: 50, altitude: 500, sensor1: 0, sensor2: 0, sensor3: 0 };

function encodeError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecError);
    return err as CodecError;
  }
  throw new Error('expected encode to throw');
}

/** Deliberately ill-typed events, as untyped callers could pass them. */
const bad = <T>(value: unknown) => value as T;

describe('encode refuses values outside their wire type with INVALID_EVENT', () => {
  it.each([
    ['unknown enum string', { ...system, flag: 'PURPLE' }, /system\.flag = "PURPLE" is not one of GREEN\|/],
    ['unknown event type', { ...system, type: 'weather' }, /type = "weather" is not one of position\|/],
    ['ubyte overflow', { ...system, car_number: 300 }, /car_number = 300 is not an integer in 0\.\.255/],
    ['fraction in an integer field', { ...system, lap: 1.5 }, /lap = 1\.5/],
    ['number where a bigint belongs', { ...system, event_id: 5 }, /event_id = 5 is not a bigint/],
    ['bigint beyond int64', { ...system, event_time_ns: 2n ** 63n }, /event_time_ns = 9223372036854775808n/],
    ['non-string', { ...system, session_id: 42 }, /session_id must be a string/],
    ['lone surrogate', { ...system, message: 'a\ud800b' }, /system\.message is not well-formed UTF-16/],
  ])('%s', (_name, event, message) => {
    const e = encodeError(() => encodeF1Event(bad<F1Event>(event)));
    expect(e.code).toBe('INVALID_EVENT');
    expect(e.retriable).toBe(false);
    expect(e.message).toMatch(message);
    expect(e.context.eventIndex).toBe(0);
  });

  it('names the event index in a frame', () => {
    const e = encodeError(() => encodeF1Frame([system, system, bad<F1Event>({ ...system, severity: 'MEH' })]));
    expect(e.context).toMatchObject({ eventIndex: 2, field: 'system.severity' });
    expect(e.message).toMatch(/event 2/);
  });

  it('a string where a number belongs is not coerced', () => {
    const e = encodeError(() => encodeSatelliteSample(bad<SatelliteSample>({ ...sample, temp_c: '20' })));
    expect(e.message).toMatch(/temp_c = "20" is not a number/);
  });

  it('a throwing getter becomes INVALID_EVENT with the cause', () => {
    const event = { ...system, get lap(): number { throw new RangeError('boom'); } };
    const e = encodeError(() => encodeF1Event(event));
    expect(e.code).toBe('INVALID_EVENT');
    expect(e.cause).toBeInstanceOf(RangeError);
  });

  it('the encoder stays usable after an error', () => {
    const encoder = new Encoder();
    expect(() => encoder.encodeF1Frame([system, bad<F1Event>({ ...system, flag: 'X' })])).toThrow(CodecError);
    expect(encoder.encodeF1Event(system)).toStrictEqual(new Encoder().encodeF1Event(system));
  });
});

describe('Encoder', () => {
  it('grows its buffer for large frames', () => {
    const encoder = new Encoder({ initialCapacity: 64 });
    const events = Array.from({ length: 5000 }, (_, i) => ({ ...system, event_id: BigInt(i), message: `message ${i}` }));
    const bytes = encoder.encodeF1Frame(events);
    expect(bytes.length).toBeGreaterThan(5000 * 40);
  });

  it('shares repeated strings within a frame', () => {
    const one = encodeF1Frame([system]).length;
    const two = encodeF1Frame([system, { ...system, event_id: 1n }]).length;
    // The second event adds its two tables, a vector slot and at most 4 bytes of
    // alignment; no vtables and none of its three strings (24 bytes) again.
    expect(two - one).toBeLessThanOrEqual(32 + 16 + 4 + 4);
  });

  it('works with the string cache disabled', () => {
    const encoder = new Encoder({ stringCacheSize: 0 });
    expect(encoder.encodeF1Event(system)).toStrictEqual(encodeF1Event(system));
  });

  it('re-entrant use of the module functions (a getter that encodes) is safe', () => {
    let inner: Uint8Array | undefined;
    const event = {
      ...system,
      get code(): string {
        inner ??= encodeSatelliteSample(sample);
        return 'OK';
      },
    };
    expect(encodeF1Event(event)).toStrictEqual(encodeF1Event(system));
    expect(inner).toStrictEqual(encodeSatelliteSample(sample));
  });
});

describe('Encoder options', () => {
  it.each([0, -1, Number.NaN, Infinity])('initialCapacity %s still encodes', (initialCapacity) => {
    expect(new Encoder({ initialCapacity }).encodeF1Frame([system, system])).toStrictEqual(encodeF1Frame([system, system]));
  });
});
