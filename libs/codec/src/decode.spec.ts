import { describe, expect, it } from 'vitest';
import type { F1Event } from '@lakestream/schema';
import { CodecError, decode, decodeOrThrow, encodeF1Event, encodeF1Frame, encodeSatelliteSample, type CodecErrorCode } from './index.js';

const power: F1Event = {
  type: 'power_unit',
  session_id: '2026-bahrain-race',
  car_number: 44,
  lap: 12,
  event_id: 7n,
  event_time_ns: 1_767_225_600_000_000_000n,
  rpm: 11_000,
  ers_deploy_kw: 80,
  ers_harvest_kw: 10,
  ers_store_pct: 50,
  oil_temp_c: 110,
  water_temp_c: 95,
  fuel_kg: 80,
  fuel_flow_kg_h: 98,
};
const tire: F1Event = { ...common(power), type: 'tire', corner: 'RL', compound: 'SOFT', pressure_psi: 22, surface_temp_c: 100, inner_temp_c: 100, wear_pct: 3 };

function common(e: F1Event) {
  const { session_id, car_number, lap, event_id, event_time_ns } = e;
  return { session_id, car_number, lap, event_id, event_time_ns };
}

function failure(bytes: Uint8Array, validate = false): CodecError {
  const result = decode(bytes, { validate });
  if (result.ok) throw new Error('expected a decode failure');
  return result.error;
}

function expectError(bytes: Uint8Array, code: CodecErrorCode, message: RegExp, validate = false): CodecError {
  const error = failure(bytes, validate);
  expect(error).toBeInstanceOf(CodecError);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(error.retriable).toBe(false);
  return error;
}

/** A copy of `m` with the payload-relative u32/u8 at `at` replaced. */
function patched(m: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(m);
  edit(new DataView(copy.buffer, 5));
  return copy;
}

/** Payload-relative positions of the F1Event table at `root` and its payload table. */
function eventLayout(v: DataView, root: number) {
  const vtable = root - v.getInt32(root, true);
  const field = (id: number) => root + v.getUint16(vtable + 4 + 2 * id, true);
  const payloadField = field(6);
  const payload = payloadField + v.getUint32(payloadField, true);
  const payloadVtable = payload - v.getInt32(payload, true);
  const payloadAt = (id: number) => payload + v.getUint16(payloadVtable + 4 + 2 * id, true);
  return { root, vtable, field, payload, payloadAt };
}

/** Layout of a single F1 event message. */
function layout(m: Uint8Array) {
  const v = new DataView(m.buffer, m.byteOffset + 5);
  return eventLayout(v, v.getUint32(0, true));
}

/** Layout of event `index` of an F1 frame message. */
function frameLayout(m: Uint8Array, index: number) {
  const v = new DataView(m.buffer, m.byteOffset + 5);
  const root = v.getUint32(0, true);
  const field = root + v.getUint16(root - v.getInt32(root, true) + 4, true);
  const vector = field + v.getUint32(field, true);
  const element = vector + 4 + 4 * index;
  return eventLayout(v, element + v.getUint32(element, true));
}

describe('decode errors are values with a code, a place and context', () => {
  it('empty buffer → TRUNCATED', () => {
    const e = expectError(new Uint8Array(0), 'TRUNCATED', /0 bytes, the header alone needs 5/);
    expect(e.context).toMatchObject({ byteOffset: 0, length: 0 });
  });

  it('a header cut short → TRUNCATED', () => {
    expectError(Uint8Array.of(0, 0, 0), 'TRUNCATED', /3 bytes/);
  });

  it('magic byte 1 → BAD_MAGIC', () => {
    const m = Uint8Array.from(encodeF1Event(power));
    m[0] = 1;
    const e = expectError(m, 'BAD_MAGIC', /magic byte is 1, expected 0/);
    expect(e.context.byteOffset).toBe(0);
  });

  it('schema id 99 → UNKNOWN_SCHEMA', () => {
    const m = Uint8Array.from(encodeF1Event(power));
    m.set([0, 0, 0, 99], 1);
    const e = expectError(m, 'UNKNOWN_SCHEMA', /schema id 99 is not known/);
    expect(e.context).toMatchObject({ schemaId: 99, byteOffset: 1 });
  });

  it('schema ids are big-endian', () => {
    const m = Uint8Array.from(encodeF1Event(power));
    expect([...m.subarray(0, 5)]).toStrictEqual([0, 0, 0, 0, 2]);
    m.set([2, 0, 0, 0], 1);
    expectError(m, 'UNKNOWN_SCHEMA', /schema id 33554432/);
  });

  it('a header without a FlatBuffer behind it → TRUNCATED', () => {
    expectError(Uint8Array.of(0, 0, 0, 0, 2, 1, 2, 3), 'TRUNCATED', /payload has 3 bytes/);
  });

  it('corrupt root offset → INVALID_BUFFER at byte 5', () => {
    const m = patched(encodeF1Event(power), (v) => v.setUint32(0, 0xfffffff0, true));
    const e = expectError(m, 'INVALID_BUFFER', /root table offset points past the end/);
    expect(e.context).toMatchObject({ byteOffset: 5, schemaId: 2, length: m.length });
    expect(e.message).toMatch(/schema id 2.*byte offset 5.*message length/);
  });

  it('vtable outside the buffer → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { root } = layout(m);
    expectError(patched(m, (v) => v.setInt32(root, 100_000, true)), 'INVALID_BUFFER', /F1Event vtable at -\d+ is outside the buffer/);
  });

  it('odd vtable size → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { vtable } = layout(m);
    expectError(patched(m, (v) => v.setUint16(vtable, 7, true)), 'INVALID_BUFFER', /F1Event vtable size 7 is invalid/);
  });

  it('field offset past the table end → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { vtable } = layout(m);
    expectError(patched(m, (v) => v.setUint16(vtable + 4 + 2 * 3, 60_000, true)), 'INVALID_BUFFER', /F1Event table \(\d+ bytes\) runs past the end/);
  });

  it('string length past the end → INVALID_BUFFER naming the field', () => {
    const m = encodeF1Event(power);
    const { field } = layout(m);
    const at = field(0);
    const e = expectError(
      patched(m, (v) => v.setUint32(at + v.getUint32(at, true), 0x7fffffff, true)),
      'INVALID_BUFFER',
      /string session_id: 2147483647 bytes and terminator do not fit/,
    );
    expect(e.context.eventIndex).toBeUndefined();
  });

  it('invalid UTF-8 → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { field } = layout(m);
    const at = field(0);
    expectError(patched(m, (v) => v.setUint8(at + v.getUint32(at, true) + 4, 0xff)), 'INVALID_BUFFER', /string session_id: invalid UTF-8/);
  });

  it('missing NUL terminator → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { field } = layout(m);
    const at = field(0);
    expectError(patched(m, (v) => v.setUint8(at + v.getUint32(at, true) + 4 + 17, 65)), 'INVALID_BUFFER', /missing NUL terminator/);
  });

  it('unknown union tag → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { field } = layout(m);
    expectError(patched(m, (v) => v.setUint8(field(5), 9)), 'INVALID_BUFFER', /payload_type 9 is not a known event type/);
  });

  it('missing payload (tag NONE) → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { field } = layout(m);
    expectError(patched(m, (v) => v.setUint8(field(5), 0)), 'INVALID_BUFFER', /F1Event.payload is missing/);
  });

  it('absent required string → INVALID_BUFFER', () => {
    const m = encodeF1Event(power);
    const { vtable } = layout(m);
    expectError(patched(m, (v) => v.setUint16(vtable + 4, 0, true)), 'INVALID_BUFFER', /F1Event.session_id is missing/);
  });

  it('enum value out of range → INVALID_BUFFER', () => {
    const m = encodeF1Event(tire);
    const { payloadAt } = layout(m);
    const e = expectError(patched(m, (v) => v.setUint8(payloadAt(0), 4)), 'INVALID_BUFFER', /Tire.corner 4 is out of range \(4 members\)/);
    expect(e.context.byteOffset).toBe(payloadAt(0) + 5);
  });

  it('errors inside a frame name the event index', () => {
    const m = encodeF1Frame([power, power, tire]);
    const corner = frameLayout(m, 2).payloadAt(0);
    const e = expectError(patched(m, (v) => v.setUint8(corner, 200)), 'INVALID_BUFFER', /Tire.corner 200 is out of range/);
    expect(e.context).toMatchObject({ eventIndex: 2, byteOffset: corner + 5 });
    expect(e.message).toMatch(/event 2/);
  });

  it('validate: a value outside its zod range → INVALID_EVENT naming field, value and event', () => {
    const m = encodeF1Frame([power, { ...power, rpm: 17_000 }]);
    expect(decode(m).ok).toBe(true);
    const e = expectError(m, 'INVALID_EVENT', /power_unit\.rpm = 17000: Too big/, true);
    expect(e.context).toMatchObject({ eventIndex: 1, field: 'power_unit.rpm', schemaId: 4 });
  });

  it('validate: satellite ranges', () => {
    const s = { satellite: 'sat1', timestamp_ns: 1n, temp_c: 500, battery_charge_pct: 50, altitude: 500, sensor1: 0, sensor2: 0, sensor3: 0 };
    expectError(encodeSatelliteSample(s), 'INVALID_EVENT', /temp_c = 500/, true);
  });

  it('decode never throws, even for a non-Uint8Array', () => {
    const result = decode('nope' as unknown as Uint8Array);
    expect(result.ok ? '' : result.error.code).toBe('INVALID_BUFFER');
  });

  it('decodeOrThrow returns the message or throws the CodecError', () => {
    expect(decodeOrThrow(encodeF1Event(power)).events).toStrictEqual([power]);
    expect(() => decodeOrThrow(new Uint8Array(0))).toThrow(CodecError);
    expect(() => decodeOrThrow(encodeF1Frame([{ ...power, rpm: 20_000 }]), { validate: true })).toThrow(/INVALID_EVENT/);
  });

  it('decodes a Buffer view at a non-zero byteOffset', () => {
    const m = encodeF1Event(power);
    const padded = new Uint8Array(m.length + 3);
    padded.set(m, 3);
    expect(decodeOrThrow(padded.subarray(3)).events).toStrictEqual([power]);
    expect(decodeOrThrow(Buffer.from(m)).events).toStrictEqual([power]);
  });
});
