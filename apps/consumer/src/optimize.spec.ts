import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '@lakestream/schema';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { Float64, Table, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatOptimizeResults, optimizeTables } from './optimize.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consumer-optimize-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = (values: number[]) => new Table({ v: vectorFromArray(values, new Float64()) });

describe('consumer optimize', () => {
  it('compacts the small files of the selected source and leaves the data as it was', async () => {
    const store = new LocalFileStore(join(dir, TABLES.satelliteRaw.path));
    const table = await DeltaTable.create(store, { schema: rows([]).schema });
    for (let i = 0; i < 3; i++) await table.append(rows([i, i + 0.5]));
    expect(table.state.files.size).toBe(3);

    const outcomes = await optimizeTables({ tablesDir: dir, sources: ['satellite'] });
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ table: 'satellite-data-raw', found: true, result: { version: 4, filesRemoved: 3, filesAdded: 1, rows: 6 } });
    expect(outcomes[1]).toEqual({ table: TABLES.satelliteSilver.path, found: false });

    const after = await DeltaTable.open(store);
    expect(after.state.files.size).toBe(1);
    expect([...((await after.read()).getChild('v') ?? [])].sort()).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);

    const again = await optimizeTables({ tablesDir: dir, sources: ['satellite'] });
    expect(again[0]).toMatchObject({ found: true, result: { version: undefined, filesRemoved: 0 } });
    expect(formatOptimizeResults(again)).toBe(
      ['optimize:', '  satellite-data-raw           nothing to compact', '  silver/satellite_samples     no table yet', ''].join('\n'),
    );
    expect(formatOptimizeResults(outcomes)).toContain('satellite-data-raw           v4: 3 files -> 1');
  });

  it('covers bronze and silver of both sources with --source all', async () => {
    const outcomes = await optimizeTables({ tablesDir: dir, sources: ['satellite', 'f1'] });
    expect(outcomes.map((o) => o.table)).toEqual([TABLES.satelliteRaw.path, TABLES.satelliteSilver.path, TABLES.f1Bronze.path, TABLES.f1Silver.path]);
    expect(outcomes.every((o) => !o.found)).toBe(true);
  });
});
