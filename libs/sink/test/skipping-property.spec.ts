/**
 * Closing property of issue #8 for file skipping: for every column with
 * stats (or a partition column) and a random predicate, `read({ filter })`
 * keeps every row a full scan then filtered keeps: skipping never drops a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, type ColumnPredicate } from '../src/index.js';
import { arbitraryPredicate, hasStats, rowMatches } from './support/arbitrary-predicates.js';
import { buildData, cellKey, LEAF_TYPES, rowsOf, type Cell, type ColumnType } from './support/arbitrary-tables.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const STATS_TYPES = LEAF_TYPES.filter((t) => hasStats(t.type) && !arrow.DataType.isDictionary(t.type));
const PARTITION_TYPES = STATS_TYPES.filter((t) => t.partitionable && (arrow.DataType.isInt(t.type) || arrow.DataType.isUtf8(t.type) || arrow.DataType.isDate(t.type)));

interface Layout {
  readonly leaves: readonly ColumnType[];
  /** The type of `s.x`, a struct child with stats. */
  readonly nested: ColumnType;
  readonly partition: ColumnType | null;
}

// Drawn as Arrow type names (what a counterexample shows), then looked up.
const byName = (types: readonly ColumnType[]) => new Map(types.map((t) => [String(t.type), t]));
const statsByName = byName(STATS_TYPES);
const partitionByName = byName(PARTITION_TYPES);
interface LayoutNames {
  readonly leaves: readonly string[];
  readonly nested: string;
  readonly partition: string | null;
}
const layoutNames: fc.Arbitrary<LayoutNames> = fc.record({
  leaves: fc.array(fc.constantFrom(...statsByName.keys()), { minLength: 1, maxLength: 3 }),
  nested: fc.constantFrom(...statsByName.keys()),
  partition: fc.option(fc.constantFrom(...partitionByName.keys()), { nil: null }),
});
const resolve = (names: LayoutNames): Layout => ({
  leaves: names.leaves.map((n) => statsByName.get(n) as ColumnType),
  nested: statsByName.get(names.nested) as ColumnType,
  partition: names.partition === null ? null : (partitionByName.get(names.partition) as ColumnType),
});

function columnsOf(l: Layout): { name: string; type: ColumnType }[] {
  const struct: ColumnType = { type: new arrow.Struct([new arrow.Field('x', l.nested.type, true)]), cell: fc.tuple(fc.option(l.nested.cell, { nil: null })), partitionable: false };
  return [...l.leaves.map((type, i) => ({ name: `c${i}`, type })), { name: 's', type: struct }, ...(l.partition ? [{ name: 'p', type: l.partition }] : [])];
}

/** Rows of each file: 1–3 appends of 0–5 rows, partition values from a few. */
function arbitraryFiles(l: Layout): fc.Arbitrary<Cell[][][]> {
  const columns = columnsOf(l);
  const partitionValues = l.partition ? fc.array(fc.option(l.partition.cell, { nil: null }), { minLength: 1, maxLength: 2 }) : fc.constant([null]);
  return partitionValues.chain((pvs) => {
    const row = fc.tuple(...columns.map((c) => (c.name === 'p' ? fc.constantFrom(...pvs) : fc.option(c.type.cell, { nil: null, freq: 4 }))));
    return fc.array(fc.array(row, { maxLength: 5 }), { minLength: 1, maxLength: 3 });
  });
}

function tableOf(columns: readonly { name: string; type: ColumnType }[], rows: readonly Cell[][]): arrow.Table {
  const fields = columns.map((c) => new arrow.Field(c.name, c.type.type, true));
  const children = columns.map((c, i) => buildData(c.type.type, rows.map((r) => r[i] ?? null)));
  const schema = new arrow.Schema(fields);
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: rows.length, nullCount: 0, children }))]);
}

describe('file skipping property (#8 closing property)', () => {
  it('read({ filter }) keeps every row a full scan then filtered keeps', async () => {
    const scenario = layoutNames.chain((names) => {
      const l = resolve(names);
      const columns = columnsOf(l);
      return arbitraryFiles(l).chain((files) => {
        const all = files.flat();
        // Predicates on every top-level leaf, on s.x and on the partition column, with values from their cells.
        const targets = columns.flatMap((c, i) => {
          if (c.name === 's') return [{ column: 's.x', type: l.nested, cells: all.map((r) => ((r[i] as Cell[] | null) ?? [null])[0] ?? null), at: (r: Cell[]) => ((r[i] as Cell[] | null) ?? [null])[0] ?? null }];
          return [{ column: c.name, type: c.type, cells: all.map((r) => r[i] ?? null), at: (r: Cell[]) => r[i] ?? null }];
        });
        const predicates = fc.tuple(...targets.map((t) => fc.array(arbitraryPredicate(t.column, t.type, t.cells), { minLength: 2, maxLength: 2 })));
        return fc.record({ layout: fc.constant(names), files: fc.constant(files), predicates });
      });
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ layout: names, files, predicates }) => {
        const l = resolve(names);
        const columns = columnsOf(l);
        const dir = mkdtempSync(join(tmpdir(), 'sink-skip-prop-'));
        dirs.push(dir);
        const schema = tableOf(columns, []).schema;
        const table = await DeltaTable.create(new LocalFileStore(dir), { schema, partitionColumns: l.partition ? ['p'] : [] });
        for (const rows of files) if (rows.length > 0) await table.append(tableOf(columns, rows));
        const columnNames = columns.map((c) => c.name);
        const full = rowsOf(await table.read(), columnNames);
        const typeOf = (column: string): arrow.DataType => {
          const [top, child] = column.split('.');
          const c = columns.find((x) => x.name === top);
          return child ? l.nested.type : (c?.type.type as arrow.DataType);
        };
        const cellOf = (row: Cell[], column: string): Cell => {
          const [top, child] = column.split('.');
          const cell = row[columnNames.indexOf(top as string)] ?? null;
          return child ? ((cell as Cell[] | null) ?? [null])[0] ?? null : cell;
        };
        for (const p of predicates.flat() as ColumnPredicate[]) {
          const keep = (rows: Cell[][]) => rows.filter((r) => rowMatches(cellOf(r, p.column), p, typeOf(p.column))).map((r) => cellKey(r)).sort();
          const expected = keep(full);
          const skipped = keep(rowsOf(await table.read({ filter: p }), columnNames));
          expect(skipped, `${JSON.stringify(p, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`).toEqual(expected);
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
