import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from './batch.js';
import { isLogError } from './errors.js';
import { decodeOffsetRecord, decodeOffsetRecords, encodeOffsetRecord, type OffsetRecord, type StoredGroup } from './offset-records.js';

const text = (maxLength = 40) => fc.string({ unit: 'grapheme', maxLength });
const bytes = fc.uint8Array({ maxLength: 64 });

const member = fc.record({
  memberId: text(),
  groupInstanceId: fc.option(text(), { nil: null }),
  clientId: text(),
  clientHost: text(),
  sessionTimeoutMs: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  rebalanceTimeoutMs: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  protocols: fc.array(fc.record({ name: text(), metadata: bytes }), { maxLength: 3 }),
  assignment: bytes,
});

const storedGroup: fc.Arbitrary<StoredGroup> = fc.record({
  group: text(),
  generationId: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  protocolType: text(),
  protocolName: text(),
  leaderId: text(),
  timestamp: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  members: fc.array(member, { maxLength: 4 }),
});

const groupRecord: fc.Arbitrary<OffsetRecord> = storedGroup.map((g) => ({ type: 'group' as const, ...g }));

/** A decoder's only way to fail: CORRUPT_FILE, never a RangeError or TypeError. */
function decodeOrCode(frame: Buffer): OffsetRecord | string {
  try {
    return decodeOffsetRecord(frame);
  } catch (e) {
    if (!isLogError(e)) throw e;
    return e.code;
  }
}

function frameOf(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(8 + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32c(Buffer.from(payload)), 4);
  frame.set(payload, 8);
  return frame;
}

describe('group metadata records', () => {
  it('decode to what was encoded, alone and in a run of frames', () => {
    fc.assert(
      fc.property(fc.array(groupRecord, { minLength: 1, maxLength: 4 }), (records) => {
        const frames = records.map(encodeOffsetRecord);
        for (const [i, frame] of frames.entries()) expect(decodeOffsetRecord(frame)).toEqual(records[i]);
        const all = Buffer.concat(frames);
        expect(decodeOffsetRecords(all, 0)).toEqual({ records, validEnd: all.length });
      }),
      { numRuns: 100 },
    );
  });

  it('truncated or bit-flipped frames are a typed CORRUPT_FILE error, and a run of frames stops before them', () => {
    fc.assert(
      fc.property(groupRecord, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (record, at, bit, flip) => {
        const frame = encodeOffsetRecord(record);
        const damaged = Buffer.from(frame);
        damaged[at % frame.length] = (damaged[at % frame.length] as number) ^ (1 << bit);
        const bad = flip ? damaged : frame.subarray(0, 1 + (at % (frame.length - 1)));
        expect(decodeOrCode(bad)).toBe('CORRUPT_FILE');
        const good = encodeOffsetRecord({ type: 'delete-topic', topic: 't' });
        // A cut frame whose missing tail happens to equal the next frame's first bytes is the whole frame again.
        if (!flip && Buffer.concat([bad, good]).subarray(0, frame.length).equals(frame)) return;
        expect(decodeOffsetRecords(Buffer.concat([good, bad, good]), 0)).toEqual({ records: [{ type: 'delete-topic', topic: 't' }], validEnd: good.length });
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes, framed with a correct CRC or not, decode or fail typed; never throw anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(0, 1, 2, 3, 4, 5), fc.boolean(), (body, type, framed) => {
        const payload = Buffer.concat([Buffer.from([type]), body]);
        const candidate = framed ? frameOf(payload) : Buffer.from(body);
        const out = decodeOrCode(candidate);
        if (typeof out !== 'string') expect(encodeOffsetRecord(out).length).toBeGreaterThan(0);
        const run = decodeOffsetRecords(candidate, 0);
        expect(run.validEnd).toBeLessThanOrEqual(candidate.length);
      }),
      { numRuns: 500 },
    );
  });

  it('group records cut inside a member decode as CORRUPT_FILE even with a correct CRC', () => {
    fc.assert(
      fc.property(storedGroup.filter((g) => g.members.length > 0), fc.nat(), (group, cut) => {
        const payload = encodeOffsetRecord({ type: 'group', ...group }).subarray(8);
        const short = payload.subarray(0, 1 + (cut % (payload.length - 1)));
        expect(decodeOrCode(frameOf(short))).toBe('CORRUPT_FILE');
      }),
      { numRuns: 200 },
    );
  });
});
