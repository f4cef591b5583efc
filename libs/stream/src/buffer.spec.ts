import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordBuffer } from './buffer.js';
import type { SourceRecord } from './record.js';

const rec = (partition: number, offset: number, size = 10): SourceRecord => ({
  topic: 't', partition, offset: BigInt(offset), timestamp: 0n, key: null, value: new Uint8Array(size), headers: {}, size,
});

describe('RecordBuffer', () => {
  it('takes batches within the caps, keeping each partition contiguous and in order, losing nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ partition: fc.nat({ max: 3 }), count: fc.integer({ min: 1, max: 20 }), size: fc.integer({ min: 1, max: 50 }) }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 400 }),
        (chunks, maxRecords, maxBytes) => {
          const buffer = new RecordBuffer();
          const next = new Map<number, number>();
          const pushed: SourceRecord[] = [];
          for (const c of chunks) {
            const start = next.get(c.partition) ?? 0;
            const records = Array.from({ length: c.count }, (_, i) => rec(c.partition, start + i, c.size));
            next.set(c.partition, start + c.count);
            buffer.push(records);
            pushed.push(...records);
          }
          const taken: SourceRecord[] = [];
          while (buffer.records > 0) {
            const batch = buffer.take(maxRecords, maxBytes);
            expect(batch.records.length).toBeGreaterThan(0);
            expect(batch.records.length).toBeLessThanOrEqual(maxRecords);
            if (batch.records.length > 1) expect(batch.bytes).toBeLessThanOrEqual(maxBytes);
            for (const r of batch.ranges) {
              const offsets = batch.records.filter((x) => x.partition === r.partition).map((x) => Number(x.offset));
              expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => Number(r.first) + i));
              expect(Number(r.last)).toBe(Number(r.first) + offsets.length - 1);
            }
            taken.push(...batch.records);
          }
          expect(buffer.bytes).toBe(0);
          const key = (r: SourceRecord): string => `${r.partition}:${r.offset}`;
          expect(taken.map(key).sort()).toEqual(pushed.map(key).sort());
        },
      ),
    );
  });

  it('retain drops the records of revoked partitions and their bytes', () => {
    const buffer = new RecordBuffer();
    buffer.push([rec(0, 0), rec(0, 1)]);
    buffer.push([rec(1, 0)]);
    expect(buffer.retain((_, p) => p === 1)).toBe(2);
    expect(buffer.records).toBe(1);
    expect(buffer.bytes).toBe(10);
    expect(buffer.take(10, 100).records.map((r) => r.partition)).toEqual([1]);
  });
});
