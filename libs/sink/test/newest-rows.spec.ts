import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore } from '../src/index.js';
import type { AddAction } from '../src/log/actions.js';
import { newestFiles } from '../src/table/read.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/** `read({ newestRows })`: the recent past of a table without reading its whole history (e.g. streaming state rebuilt on start). */
const { dir, cleanup } = tempDir('sink-newest-rows-');
afterAll(cleanup);

const cars = (t: { getChild(name: string): { toArray(): ArrayLike<bigint> } | null }): number[] => Array.from(t.getChild('car')?.toArray() ?? [], Number);

describe('read newestRows', () => {
  it('reads only the newest files holding at least that many rows, oldest first, combined with a filter', async () => {
    const table = await DeltaTable.create(new LocalFileStore(join(dir, 't')), { schema: telemetrySchema, partitionColumns: [] });
    for (let b = 0; b < 5; b++) {
      await table.append(telemetryRows(b * 10, 10));
      await new Promise((r) => setTimeout(r, 5)); // distinct modification times
    }
    expect(cars(await table.read({ newestRows: 15 }))).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
    expect(cars(await table.read({ newestRows: 10 }))).toEqual(Array.from({ length: 10 }, (_, i) => 40 + i));
    expect(cars(await table.read({ newestRows: 1_000 }))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await table.read({ newestRows: 0 })).numRows).toBe(0);
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(table.read({ newestRows: bad })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'newestRows' } });
    }
    // The filter prunes first (cars 0..19 only by min/max stats), then the newest of what is left.
    expect(cars(await table.read({ newestRows: 5, filter: { column: 'car', op: '<', value: 20n } }))).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
  });

  it('newestFiles: by modification time then path, stops once the rows are held, files without stats count as none', () => {
    const add = (path: string, modificationTime: number, rows: number | undefined): AddAction =>
      ({ path, modificationTime, size: 1, partitionValues: {}, dataChange: true, ...(rows === undefined ? {} : { stats: JSON.stringify({ numRecords: rows }) }) }) as AddAction;
    const files = [add('a', 1, 10), add('b', 3, 10), add('c', 2, undefined), add('d', 3, 5)];
    expect(newestFiles(files, 12).map((f) => f.path)).toEqual(['b', 'd']);
    expect(newestFiles(files, 16).map((f) => f.path)).toEqual(['a', 'c', 'b', 'd']);
    fc.assert(
      fc.property(fc.array(fc.record({ t: fc.integer({ min: 0, max: 20 }), rows: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }) }), { maxLength: 30 }), fc.integer({ min: 0, max: 600 }), (specs, want) => {
        const all = specs.map((s, i) => add(`f${i}`, s.t, s.rows));
        const chosen = newestFiles(all, want);
        const held = chosen.reduce((n, f) => n + (f.stats ? (JSON.parse(f.stats) as { numRecords: number }).numRecords : 0), 0);
        const total = all.reduce((n, f) => n + (f.stats ? (JSON.parse(f.stats) as { numRecords: number }).numRecords : 0), 0);
        expect(held >= want || chosen.length === all.length).toBe(true);
        if (want >= 0 && total >= want) expect(held).toBeGreaterThanOrEqual(want);
        // Oldest first, and nothing chosen is older than something left out.
        for (let i = 1; i < chosen.length; i++) expect((chosen[i] as AddAction).modificationTime).toBeGreaterThanOrEqual((chosen[i - 1] as AddAction).modificationTime);
        const oldestChosen = chosen[0]?.modificationTime ?? Infinity;
        for (const f of all) if (!chosen.includes(f)) expect(f.modificationTime).toBeLessThanOrEqual(oldestChosen);
      }),
    );
  });
});
