import { describe, expect, it } from 'vitest';
import { buildBatch } from '../test/batches.js';
import { batchCrcMatches, checkBatchHeader, crc32c, parseBatchHeader, stampLogAppendTime, writeBaseOffset, type BatchHeader } from './batch.js';

function header(bytes: Uint8Array): BatchHeader {
  const h = parseBatchHeader(bytes);
  if (typeof h === 'string') throw new Error(h);
  return h;
}

describe('record batch header (over @lakestream/protocol)', () => {
  it('uses CRC-32C (check value of "123456789" is 0xE3069283)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('reads the v2 header fields as numbers and rewrites baseOffset outside the CRC', () => {
    const batch = buildBatch({ records: 3, baseTimestamp: 5_000, producerId: 2 ** 40, producerEpoch: 3, baseSequence: 17, partitionLeaderEpoch: 9 });
    const h = header(batch);
    expect(h).toMatchObject({ baseOffset: 0, size: batch.length, partitionLeaderEpoch: 9, magic: 2, lastOffsetDelta: 2, baseTimestamp: 5_000, maxTimestamp: 5_000, producerId: 2 ** 40, producerEpoch: 3, baseSequence: 17, recordCount: 3 });
    expect(checkBatchHeader(h, batch.length)).toBeUndefined();
    expect(checkBatchHeader(h, batch.length - 1)).toMatch(/runs past/);
    writeBaseOffset(batch, 0, 2 ** 45 + 7);
    expect(header(batch).baseOffset).toBe(2 ** 45 + 7);
    expect(batchCrcMatches(batch, 0)).toBe(true);
    stampLogAppendTime(batch, 0, 9_999);
    expect(header(batch).maxTimestamp).toBe(9_999);
    expect(batchCrcMatches(batch, 0)).toBe(true);
    batch.writeUInt8(batch.readUInt8(batch.length - 1) ^ 1, batch.length - 1);
    expect(batchCrcMatches(batch, 0)).toBe(false);
  });

  it('says why bytes are not a usable header instead of throwing', () => {
    const batch = buildBatch({ records: 1 });
    expect(parseBatchHeader(batch.subarray(0, 60))).toEqual(expect.any(String));
    const v1 = Buffer.from(batch);
    v1[16] = 1;
    expect(parseBatchHeader(v1)).toMatch(/magic/);
  });
});
