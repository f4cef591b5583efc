import { describe, expect, it } from 'vitest';
import type { F1Event, SatelliteSample } from '@lakestream/schema';
import { decode, encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '../index.js';
import { binFiles, loadFixtures } from '../../test/fixtures.js';

/**
 * Golden bytes of wire version 1 (src/v1/fixtures, written by
 * scripts/write-fixtures.ts). If one of these fails after a codec change,
 * the change broke the wire format for every deployed reader or writer:
 * fix the code, do not regenerate the fixture.
 */
const fixtures = loadFixtures(1);

function encode(schemaId: number, events: readonly Record<string, unknown>[]): Uint8Array {
  switch (schemaId) {
    case 1:
      return encodeSatelliteSample(events[0] as SatelliteSample);
    case 2:
      return encodeF1Event(events[0] as F1Event);
    case 3:
      return encodeSatelliteFrame(events as SatelliteSample[]);
    case 4:
      return encodeF1Frame(events as F1Event[]);
    default:
      throw new Error(`fixture with schema id ${schemaId}`);
  }
}

describe('wire v1 golden fixtures', () => {
  it('cover every schema id and every .bin has its events', () => {
    expect(new Set(fixtures.map((f) => f.schemaId))).toStrictEqual(new Set([1, 2, 3, 4]));
    expect(binFiles(1).sort()).toStrictEqual(fixtures.map((f) => `${f.name}.bin`).sort());
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: encoding the events gives the golden bytes', (_name, f) => {
    expect(Buffer.from(encode(f.schemaId, f.events)).toString('hex')).toBe(Buffer.from(f.bytes).toString('hex'));
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: decoding the golden bytes gives the events', (_name, f) => {
    const result = decode(f.bytes, { validate: true });
    if (!result.ok) throw result.error;
    expect(result.value.schemaId).toBe(f.schemaId);
    expect(result.value.shape).toBe(f.schemaId <= 2 ? 'single' : 'frame');
    expect(result.value.events).toStrictEqual(f.events);
  });

  it('starts every message with magic byte 0 and the big-endian schema id', () => {
    for (const f of fixtures) expect([...f.bytes.subarray(0, 5)]).toStrictEqual([0, 0, 0, 0, f.schemaId]);
  });
});
