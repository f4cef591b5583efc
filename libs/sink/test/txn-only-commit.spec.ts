import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Int64, Table, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot, parseCommit, commitPath } from '../src/index.js';
import { canonicalRows } from './support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/**
 * A table that received no rows from a partition still records how far it
 * has read: appending zero rows with `txn` commits a version with the txn
 * actions (and commitInfo) and no `add`. Readers, time travel and
 * checkpoints see it as a version without data change; DuckDB agrees.
 */
const { dir, cleanup } = tempDir('sink-txn-only-');
afterAll(cleanup);

type Row = Record<string, unknown>;
const noCars = () => new Table({ car: vectorFromArray([] as bigint[], new Int64()) });

function actionKinds(root: string, version: number): string[] {
  const actions = parseCommit(readFileSync(join(root, commitPath(version))), { table: root, version });
  return actions.map((a) => Object.keys(a)[0] ?? '?');
}

describe('txn-only commits (zero rows with txn)', () => {
  it('commit txn + commitInfo and no add; our reader, time travel, checkpoints and DuckDB agree', async () => {
    const root = join(dir, 'quiet');
    const store = new LocalFileStore(root);
    const table = await DeltaTable.create(store, { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '2' } });
    const data = telemetryRows(0, 10);
    expect(await table.append(data, { txn: [{ appId: 'app-t-0', version: 9 }] })).toMatchObject({ version: 1, filesAdded: 2, rows: 10 });
    // v2: the table's own (empty) schema; v3: a subset of its columns; v4: no column at all. v2 and v4 are checkpoints.
    const v2 = await table.append(telemetryRows(0, 0), { txn: [{ appId: 'app-t-1', version: 41 }], expectTxn: [{ appId: 'app-t-1', version: null }] });
    expect(v2).toMatchObject({ skipped: false, version: 2, filesAdded: 0, rows: 0, checkpoint: expect.stringContaining('00000000000000000002.checkpoint.parquet') as unknown });
    expect(await table.append(noCars(), { txn: [{ appId: 'app-t-1', version: 50 }, { appId: 'app-t-0', version: 12 }] })).toMatchObject({ version: 3, filesAdded: 0 });
    expect(await table.append(new Table(), { txn: [{ appId: 'app-t-2', version: 3 }] })).toMatchObject({ version: 4, filesAdded: 0 });
    for (const v of [2, 3, 4]) {
      expect(actionKinds(root, v).filter((k) => k !== 'txn')).toEqual(['commitInfo']);
    }
    const history = await table.history();
    expect(history.find((c) => c.version === 2)?.commitInfo).toMatchObject({ operation: 'STREAMING UPDATE', operationMetrics: { numFiles: '0', numOutputRows: '0' } });

    // Our reader: same rows at 1..4; txns per version; from the checkpoints and from JSON alone.
    const rowsAt1 = canonicalRows(await table.read({ version: 1 }));
    expect(rowsAt1).toEqual(canonicalRows(data));
    for (const v of [2, 3, 4]) expect(canonicalRows(await table.read({ version: v }))).toEqual(rowsAt1);
    expect(canonicalRows(await table.read())).toEqual(rowsAt1);
    expect((await table.snapshot({ version: 1 })).appTransactions.get('app-t-1')).toBeUndefined();
    expect((await table.snapshot({ version: 2 })).appTransactions.get('app-t-1')?.version).toBe(41);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.state.checkpointVersion).toBe(4);
    expect([reopened.txnVersion('app-t-0'), reopened.txnVersion('app-t-1'), reopened.txnVersion('app-t-2'), reopened.txnVersion('nope')]).toEqual([12, 50, 3, undefined]);
    const replayed = await loadSnapshot(store, { ignoreCheckpoints: true });
    expect([...replayed.appTransactions.entries()].map(([k, t]) => [k, t.version]).sort()).toEqual([['app-t-0', 12], ['app-t-1', 50], ['app-t-2', 3]]);
    expect([...replayed.files.keys()].sort()).toEqual([...reopened.state.files.keys()].sort());
    const fromCheckpoint2 = await DeltaTable.open(new LocalFileStore(root), { version: 3 });
    expect(fromCheckpoint2.state.checkpointVersion).toBe(2);
    expect([fromCheckpoint2.txnVersion('app-t-0'), fromCheckpoint2.txnVersion('app-t-1')]).toEqual([12, 50]);

    // DuckDB: the JSON log and the checkpoint give the same txns and live files; the files give the rows.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const q = async (sql: string): Promise<Row[]> => (await db.runAndReadAll(sql)).getRowObjectsJson() as Row[];
    const log = join(root, '_delta_log');
    await q(`CREATE TABLE actions AS SELECT regexp_extract(filename, '(\\d{20})\\.json$', 1)::BIGINT AS version, add, txn
      FROM read_json('${log}/*.json', format='newline_delimited', filename=true, union_by_name=true,
        columns={add: 'STRUCT(path VARCHAR)', txn: 'STRUCT("appId" VARCHAR, version BIGINT)', commitInfo: 'JSON', protocol: 'JSON', metaData: 'JSON'})`);
    expect(await q(`SELECT version, count(add) AS adds, count(txn) AS txns FROM actions WHERE version >= 2 GROUP BY version ORDER BY version`))
      .toEqual([{ version: '2', adds: '0', txns: '1' }, { version: '3', adds: '0', txns: '2' }, { version: '4', adds: '0', txns: '1' }]);
    const latestTxn = await q(`SELECT txn."appId" AS app, max_by(txn.version, version) AS v FROM actions WHERE txn IS NOT NULL GROUP BY 1 ORDER BY 1`);
    expect(latestTxn).toEqual([{ app: 'app-t-0', v: '12' }, { app: 'app-t-1', v: '50' }, { app: 'app-t-2', v: '3' }]);
    const checkpointTxn = await q(`SELECT txn."appId" AS app, txn.version AS v FROM read_parquet('${log}/00000000000000000004.checkpoint.parquet') WHERE txn IS NOT NULL ORDER BY 1`);
    expect(checkpointTxn).toEqual(latestTxn);
    const checkpointAdds = await q(`SELECT add.path AS path FROM read_parquet('${log}/00000000000000000004.checkpoint.parquet') WHERE add IS NOT NULL ORDER BY 1`);
    const live = await q(`SELECT add.path AS path FROM actions WHERE add IS NOT NULL ORDER BY 1`);
    expect(checkpointAdds).toEqual(live);
    expect(live.map((r) => r['path'])).toEqual([...reopened.state.files.keys()].sort());
    const paths = live.map((r) => `'${join(root, decodeURIComponent(String(r['path'])))}'`).join(',');
    const duckCars = await q(`SELECT car FROM read_parquet([${paths}]) ORDER BY car`);
    expect(duckCars.map((r) => Number(r['car']))).toEqual(Array.from({ length: 10 }, (_, i) => i));
    db.closeSync();
  });

  it('a txn-only commit through the pipeline, fenced like any other', async () => {
    const root = join(dir, 'pipelined');
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema });
    const pipeline = table.pipeline();
    const results = await Promise.all([
      pipeline.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 4 }], expectTxn: [{ appId: 'p0', version: null }] }),
      pipeline.append(noCars(), { txn: [{ appId: 'p0', version: 9 }], expectTxn: [{ appId: 'p0', version: 4 }] }),
    ]);
    expect(results.map((r) => [r.version, r.skipped ? 'skipped' : r.filesAdded])).toEqual([[1, 1], [2, 0]]);
    expect(table.txnVersion('p0')).toBe(9);
    // Unpartitioned, zero rows used to make an empty Parquet file: now no file at all.
    expect(actionKinds(root, 2).filter((k) => k !== 'txn')).toEqual(['commitInfo']);
    expect(readdirSync(root).filter((f) => f.endsWith('.parquet'))).toHaveLength(1);
    await expect(table.append(noCars(), { txn: [{ appId: 'p0', version: 12 }], expectTxn: [{ appId: 'p0', version: 4 }] })).rejects.toMatchObject({ reason: 'TXN_FENCED' });
    expect((await DeltaTable.open(new LocalFileStore(root))).version).toBe(2);
  });
});
