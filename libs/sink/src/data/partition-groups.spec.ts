import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByPartition } from './partition-groups.js';
import { serializePartitionValue } from './partitions.js';

/**
 * Grouping must list every row exactly once, group after group, keep row
 * order inside a group, and give each group the serialized values of its
 * rows — whatever mix of fast (typed array) and getter-based columns.
 */
describe('groupByPartition property', () => {
  const schema = new arrow.Schema([
    new arrow.Field('day', new arrow.DateDay(), true),
    new arrow.Field('car', new arrow.Int16(), true),
    new arrow.Field('kind', new arrow.Utf8(), true),
  ]);
  const row = fc.record({
    day: fc.option(fc.integer({ min: 20_000, max: 20_003 }), { freq: 5 }),
    car: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 5 }),
    kind: fc.option(fc.constantFrom('a', 'b/c', 'é', ''), { freq: 5 }),
  });

  it('is a stable permutation into groups of equal partition values', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.subarray(['day', 'car', 'kind'] as const, { minLength: 1 }), fc.nat(), (rows, partitionColumns, cut) => {
        const full = new arrow.Table({
          day: arrow.vectorFromArray(rows.map((r) => (r.day === null ? null : new Date(r.day * 86_400_000))), new arrow.DateDay()),
          car: arrow.vectorFromArray(rows.map((r) => r.car), new arrow.Int16()),
          kind: arrow.vectorFromArray(rows.map((r) => r.kind), new arrow.Utf8()),
        });
        // A slice half of the time: bitmaps with an offset.
        const start = rows.length === 0 ? 0 : cut % rows.length;
        const table = cut % 2 === 0 ? full : full.slice(start);
        const live = cut % 2 === 0 ? rows : rows.slice(start);
        const columns = new Map<string, arrow.Vector>(schema.fields.map((f) => [f.name, (table as arrow.Table).getChild(f.name) as arrow.Vector]));
        const { groups, order } = groupByPartition(columns, schema, partitionColumns, table.numRows);
        const ids = order ? Array.from(order) : live.map((_, i) => i);
        expect([...ids].sort((x, y) => x - y)).toEqual(live.map((_, i) => i));
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(live.length);
        const seen = new Set<string>();
        for (const g of groups) {
          const key = JSON.stringify(g.values);
          expect(seen.has(key)).toBe(false);
          seen.add(key);
          const members = ids.slice(g.start, g.start + g.count);
          expect(members).toEqual([...members].sort((x, y) => x - y));
          for (const i of members) {
            const r = live[i] as (typeof live)[number];
            for (const c of partitionColumns) {
              const type = c === 'day' ? 'date' : c === 'car' ? 'integer' : 'string';
              expect(g.values[c]).toBe(serializePartitionValue(r[c], type, c));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('needs no order for an unpartitioned or single-partition batch', () => {
    const table = new arrow.Table({ car: arrow.vectorFromArray([7, 7, 7], new arrow.Int16()) });
    const columns = new Map([['car', table.getChild('car') as arrow.Vector]]);
    const s = new arrow.Schema([new arrow.Field('car', new arrow.Int16())]);
    expect(groupByPartition(columns, s, [], 3)).toEqual({ groups: [{ values: {}, start: 0, count: 3 }], order: undefined });
    expect(groupByPartition(columns, s, ['car'], 3)).toEqual({ groups: [{ values: { car: '7' }, start: 0, count: 3 }], order: undefined });
  });
});
