import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from '../data/partitions.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import { DeltaTable } from '../table/delta-table.js';
import { runDelta } from './run.js';
import { dateText, timestampText } from './values.js';

const MIN_MICROS = -62_135_596_800_000_000n; // 0001-01-01T00:00:00Z
const MAX_MICROS = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999Z

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function cat(table: string, ...flags: string[]): Promise<string> {
  const chunks: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (c: Buffer, _e, done) => { into.push(c.toString()); done(); } });
  const code = await runDelta(['cat', table, ...flags], { stdout: sink(chunks), stderr: sink([]), cwd: process.cwd() });
  expect(code).toBe(0);
  return chunks.join('');
}

describe('printing dates and timestamps exactly (#8.5)', () => {
  it('property: timestamp text reads back to the same microsecond over 0001–9999 and agrees with Date on milliseconds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_MICROS, max: MAX_MICROS }), fc.boolean(), (micros, utc) => {
        const text = timestampText(micros, arrow.TimeUnit.MICROSECOND, utc);
        expect(parseTimestamp(text)).toBe(micros);
        const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
        const iso = new Date(Number(ms)).toISOString();
        expect(text.startsWith(iso.slice(0, 23))).toBe(true);
        expect(text.endsWith('Z')).toBe(utc);
      }),
      { numRuns: 300 },
    );
  });

  it('property: date text matches Date over 0001–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        expect(dateText(days)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
      }),
      { numRuns: 300 },
    );
  });

  it('prints the extremes of every unit', () => {
    expect(timestampText(MAX_MICROS, arrow.TimeUnit.MICROSECOND, true)).toBe('9999-12-31T23:59:59.999999Z');
    expect(timestampText(MIN_MICROS + 1n, arrow.TimeUnit.MICROSECOND, false)).toBe('0001-01-01T00:00:00.000001');
    expect(timestampText(-1n, arrow.TimeUnit.NANOSECOND, true)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(timestampText(253_402_300_799n, arrow.TimeUnit.SECOND, true)).toBe('9999-12-31T23:59:59.000Z');
    expect(dateText(2_932_897)).toBe('+010000-01-01');
  });

  it('delta cat prints timestamps past 2255 exactly, top-level and in a struct', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sink-values-'));
    dirs.push(dir);
    const tsType = new arrow.TimestampMicrosecond('UTC');
    const values = [MAX_MICROS, MIN_MICROS + 1n, 9_000_000_000_000_001n];
    const ts = arrow.makeVector({ type: tsType, data: new BigInt64Array(values) } as never);
    const structType = new arrow.Struct([new arrow.Field('at', tsType, true)]);
    const s = arrow.makeVector(arrow.makeData({ type: structType, length: 3, nullCount: 0, children: [ts.data[0] as arrow.Data] }));
    const data = new arrow.Table({ ts, s });
    const table = await DeltaTable.create(new LocalFileStore(dir), { schema: data.schema });
    await table.append(data);
    const lines = (await cat(dir)).trim().split('\n');
    const text = ['9999-12-31T23:59:59.999999Z', '0001-01-01T00:00:00.000001Z', '2255-03-14T16:00:00.000001Z'];
    expect(lines).toEqual([
      `{"ts":"${text[0]}","s":{"at":"${text[0]}"}}`,
      `{"ts":"${text[1]}","s":{"at":"${text[1]}"}}`,
      `{"ts":"${text[2]}","s":{"at":"${text[2]}"}}`,
    ]);
    const csv = (await cat(dir, '--format', 'csv', '--columns', 'ts')).split('\r\n');
    expect(csv.slice(0, 4)).toEqual(['ts', ...text]);
  });
});
