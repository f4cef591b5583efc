import { join } from 'node:path';
import { Field, Int64, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CommitConflictError, DeltaTable, LocalFileStore, type TxnAction } from '../src/index.js';
import { checkTxnFence, txnMismatches, type ExpectedTxn } from '../src/table/txn-fence.js';
import { tempDir } from './support/tables.js';

/**
 * Two writers that each believe they own one Kafka partition, interleaved
 * (one after the other, or racing), both fencing on the txn version their
 * batch started from and reseeking when fenced: the table ends up holding
 * exactly the union of the accepted batches, every offset once, contiguous
 * up to the stored txn version. Without the fence a stale writer would
 * write offsets twice.
 */
const { dir, cleanup } = tempDir('sink-txn-fence-prop-');
afterAll(cleanup);
let n = 0;

const APP = 'app-topic-0';
const schema = new Schema([new Field('offset', new Int64(), false), new Field('writer', new Utf8(), false)]);
const rows = (offsets: readonly number[], writer: number): Table =>
  new Table({ offset: vectorFromArray(offsets.map(BigInt), new Int64()), writer: vectorFromArray(offsets.map(() => `w${writer}`), new Utf8()) });

type Step =
  | { readonly kind: 'write'; readonly writer: 0 | 1; readonly count: number }
  | { readonly kind: 'race'; readonly counts: readonly [number, number] }
  | { readonly kind: 'reseek'; readonly writer: 0 | 1 };

const writer = fc.constantFrom<0 | 1>(0, 1);
const count = fc.integer({ min: 1, max: 5 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), writer, count }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('race' as const), counts: fc.tuple(count, count) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reseek' as const), writer }) },
);

interface Writer {
  readonly id: number;
  readonly table: DeltaTable;
  /** The stored offset this writer believes the table holds (null: none). */
  known: number | null;
}

async function reseek(w: Writer): Promise<void> {
  await w.table.refresh();
  w.known = w.table.txnVersion(APP) ?? null;
}

/** One batch: the offsets after the writer's known one, fenced on it; a fenced batch is dropped and the writer reseeks. */
async function write(w: Writer, size: number, accepted: number[][]): Promise<void> {
  const from = (w.known ?? -1) + 1;
  const offsets = Array.from({ length: size }, (_, i) => from + i);
  const last = from + size - 1;
  try {
    const result = await w.table.append(rows(offsets, w.id), { expectTxn: [{ appId: APP, version: w.known }], txn: [{ appId: APP, version: last }], encoderThreads: 0, retryJitterMs: 2 });
    expect(result.skipped).toBe(false);
    accepted.push(offsets);
    w.known = last;
  } catch (error) {
    if (!(error instanceof CommitConflictError) || error.reason !== 'TXN_FENCED') throw error;
    await reseek(w);
  }
}

describe('txn fencing: two writers of one partition', () => {
  it('stored rows are exactly the union of accepted batches, every offset once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const root = join(dir, `t${n++}`);
        await DeltaTable.create(new LocalFileStore(root), { schema, configuration: { 'delta.checkpointInterval': '3' } });
        const writers: Writer[] = await Promise.all([0, 1].map(async (id) => ({ id, table: await DeltaTable.open(new LocalFileStore(root)), known: null })));
        const accepted: number[][] = [];
        const at = (i: 0 | 1): Writer => writers[i] as Writer;
        for (const s of steps) {
          if (s.kind === 'write') await write(at(s.writer), s.count, accepted);
          else if (s.kind === 'reseek') await reseek(at(s.writer));
          else await Promise.all([write(at(0), s.counts[0], accepted), write(at(1), s.counts[1], accepted)]);
        }
        const table = await DeltaTable.open(new LocalFileStore(root));
        const stored = [...(table.state.files.size === 0 ? [] : ((await table.read({ columns: ['offset'] })).getChild('offset')?.toArray() as BigInt64Array))].map(Number).sort((a, b) => a - b);
        const union = accepted.flat().sort((a, b) => a - b);
        expect(stored).toEqual(union);
        expect(new Set(stored).size).toBe(stored.length);
        const last = table.txnVersion(APP);
        expect(stored).toEqual(Array.from({ length: last === undefined ? 0 : last + 1 }, (_, i) => i));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('txnMismatches (pure)', () => {
  const version = fc.option(fc.integer({ min: 0, max: 20 }), { nil: null });
  const appId = fc.constantFrom('a', 'b', 'c', 'd');
  const stored = fc.dictionary(appId, fc.integer({ min: 0, max: 20 }));
  const expectations = fc.uniqueArray(fc.record({ appId, version }), { selector: (e) => e.appId, maxLength: 4 });
  const snapshotOf = (txns: Record<string, number>) => ({
    table: 't', version: 3,
    appTransactions: new Map<string, TxnAction>(Object.entries(txns).map(([id, v]) => [id, { appId: id, version: v }])),
  });

  it('exact: a mismatch per expectation whose stored version differs; passed: only those already beyond it', () => {
    fc.assert(
      fc.property(stored, expectations, (txns, expect_: ExpectedTxn[]) => {
        const snap = snapshotOf(txns);
        const exact = txnMismatches(expect_, snap, 'exact');
        const passed = txnMismatches(expect_, snap, 'passed');
        const found = (id: string): number | null => txns[id] ?? null;
        expect(exact).toEqual(expect_.filter((e) => found(e.appId) !== e.version).map((e) => ({ appId: e.appId, expected: e.version, found: found(e.appId) })));
        expect(passed).toEqual(expect_.filter((e) => (found(e.appId) ?? -1) > (e.version ?? -1)).map((e) => ({ appId: e.appId, expected: e.version, found: found(e.appId) })));
        // What proves a write fenced on a possibly old snapshot also refuses it on the exact one.
        for (const m of passed) expect(exact).toContainEqual(m);
        let thrown: unknown;
        try {
          checkTxnFence(expect_, snap, 'exact');
        } catch (error) {
          thrown = error;
        }
        if (exact.length === 0) expect(thrown).toBeUndefined();
        else expect(thrown).toMatchObject({ code: 'COMMIT_CONFLICT', reason: 'TXN_FENCED', context: { table: 't', version: 3, appId: exact[0]?.appId, expectedTxnVersion: exact[0]?.expected, foundTxnVersion: exact[0]?.found } });
      }),
    );
  });
});
