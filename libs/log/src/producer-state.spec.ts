import { describe, expect, it } from 'vitest';
import { buildBatch } from '../test/batches.js';
import { parseBatchHeader, type BatchHeader } from './batch.js';
import { incrementSequence, producerInfoOf, ProducerStateTable, PRODUCER_BATCHES_KEPT } from './producer-state.js';

function header(bytes: Uint8Array): BatchHeader {
  const h = parseBatchHeader(bytes);
  if (typeof h === 'string') throw new Error(h);
  return h;
}

const info = (producerId: number, producerEpoch: number, baseSequence: number, records: number) => {
  const i = producerInfoOf(header(buildBatch({ records, producerId, producerEpoch, baseSequence })));
  if (!i) throw new Error('no producer');
  return i;
};

describe('producer state', () => {
  it('reads producer fields from a batch and wraps sequences like Kafka', () => {
    expect(producerInfoOf(header(buildBatch({ records: 1 })))).toBeUndefined();
    expect(info(5, 1, 10, 3)).toMatchObject({ producerId: 5, producerEpoch: 1, baseSequence: 10, lastSequence: 12, recordCount: 3, isTransactional: false });
    expect(incrementSequence(0x7fffffff, 1)).toBe(0);
    expect(incrementSequence(0x7ffffffe, 3)).toBe(1);
  });

  it('keeps the last batches of the current epoch and starts afresh on a new epoch', () => {
    const table = new ProducerStateTable();
    for (let i = 0; i < 8; i++) table.update(info(1, 0, i * 2, 2), i * 2, i * 2 + 1, 100 + i);
    const s = table.get(1);
    expect(s).toMatchObject({ producerEpoch: 0, lastSequence: 15, lastOffset: 15, lastTimestamp: 107 });
    expect(s?.batches.map((b) => b.firstSequence)).toEqual([6, 8, 10, 12, 14]);
    expect(s?.batches).toHaveLength(PRODUCER_BATCHES_KEPT);
    table.update(info(1, 1, 0, 1), 16, 16, 200);
    expect(table.get(1)).toMatchObject({ producerEpoch: 1, lastSequence: 0, batches: [{ firstSequence: 0, lastSequence: 0, firstOffset: 16, lastOffset: 16, maxTimestamp: 200 }] });
  });

  it('round-trips snapshots and rejects damaged ones', () => {
    const table = new ProducerStateTable();
    table.update(info(2 ** 40, 3, 7, 4), 100, 103, 1_700_000_000_000);
    table.update(info(9, 0, 0, 1), 104, 104, -1);
    const bytes = table.encodeSnapshot(105);
    const decoded = ProducerStateTable.decodeSnapshot(bytes);
    expect(decoded?.offset).toBe(105);
    expect([...(decoded?.table.values() ?? [])]).toEqual([...table.values()]);
    for (const at of [0, 10, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] as number) ^ 1;
      expect(ProducerStateTable.decodeSnapshot(damaged)).toBeUndefined();
    }
    expect(ProducerStateTable.decodeSnapshot(bytes.subarray(0, 30))).toBeUndefined();
    expect(ProducerStateTable.decodeSnapshot(new ProducerStateTable().encodeSnapshot(0))?.table.size).toBe(0);
  });
});
