import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SatelliteSample } from '@lakestream/schema';
import { generateSatelliteRows, writeSatelliteSamples, type CsvRowError } from '@lakestream/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SamplesNotFoundError } from '../errors.js';
import { EventPipeline, type MessageSink } from '../pipeline.js';
import { listSatelliteFiles, runSatelliteSource } from './satellite-source.js';

/** Keeps the events instead of encoding them. */
class Collect implements MessageSink {
  readonly events: SatelliteSample[] = [];
  send(): Promise<void> {
    return Promise.resolve();
  }
}

function pipelineInto(collect: Collect, maxEvents?: number): EventPipeline<SatelliteSample> {
  return new EventPipeline<SatelliteSample>(
    collect,
    {
      single: (e) => {
        collect.events.push(e);
        return new Uint8Array(1);
      },
      frame: () => new Uint8Array(1),
    },
    { maxEvents },
  );
}

describe('runSatelliteSource (worker threads, in process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sat-source-'));
    await writeSatelliteSamples({ dir: join(dir, 'ok'), satellites: 7, samples: 300, seed: 3 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('streams every row of every file through the pool, each satellite in file order', async () => {
    const collect = new Collect();
    const files = await listSatelliteFiles(join(dir, 'ok'));
    expect(files.map((f) => f.satellite)).toEqual(['sat0', 'sat1', 'sat2', 'sat3', 'sat4', 'sat5', 'sat6']);
    const result = await runSatelliteSource({ files, sleep: undefined, seed: 1, pipeline: pipelineInto(collect), signal: new AbortController().signal, onBadRow: () => undefined, workers: 3 });
    expect(result).toEqual({ reason: 'completed', rows: 2100, badRows: 0 });
    for (let i = 0; i < 7; i++) {
      const got = collect.events.filter((e) => e.satellite === `sat${i}`).map(({ satellite: _s, timestamp_ns: _t, ...row }) => row);
      expect(got).toEqual(generateSatelliteRows(i, { samples: 300, seed: 3 }));
    }
  });

  it('stops at the event limit and when aborted', async () => {
    const files = await listSatelliteFiles(join(dir, 'ok'));
    const limited = new Collect();
    expect(await runSatelliteSource({ files, sleep: undefined, seed: 1, pipeline: pipelineInto(limited, 250), signal: new AbortController().signal, onBadRow: () => undefined })).toMatchObject({ reason: 'limit', rows: 250 });
    expect(limited.events).toHaveLength(250);

    const abort = new AbortController();
    const slow = runSatelliteSource({ files, sleep: { minMs: 50, maxMs: 60 }, seed: 1, pipeline: pipelineInto(new Collect()), signal: abort.signal, onBadRow: () => undefined });
    setTimeout(() => abort.abort('test'), 300);
    expect((await slow).reason).toBe('stopped');
  });

  it('hands bad rows to onBadRow and lets it stop the source by throwing', async () => {
    const bad = join(dir, 'bad');
    await writeSatelliteSamples({ dir: bad, satellites: 2, samples: 3, seed: 3 });
    await writeFile(join(bad, 'sat1.csv'), 'temp_c,battery_charge_pct,altitude,sensor1,sensor2,sensor3\n1,2,300,0,0,0\n1,2\n');
    const files = await listSatelliteFiles(bad);
    const seen: CsvRowError[] = [];
    const result = await runSatelliteSource({ files, sleep: undefined, seed: 1, pipeline: pipelineInto(new Collect()), signal: new AbortController().signal, onBadRow: (e) => seen.push(e) });
    expect(result).toEqual({ reason: 'completed', rows: 4, badRows: 1 });
    expect(seen[0]?.message).toMatch(/sat1\.csv:3: /);
    await expect(
      runSatelliteSource({ files, sleep: undefined, seed: 1, pipeline: pipelineInto(new Collect()), signal: new AbortController().signal, onBadRow: (e) => {
        throw new Error(`strict: ${e.file}:${e.line}`);
      } }),
    ).rejects.toThrow(/strict: .*sat1\.csv:3/);
  });

  it('names a missing or empty samples directory', async () => {
    await expect(listSatelliteFiles(join(dir, 'missing'))).rejects.toBeInstanceOf(SamplesNotFoundError);
    const empty = join(dir, 'empty');
    await writeSatelliteSamples({ dir: empty, satellites: 1, samples: 1, seed: 1 });
    await rm(join(empty, 'sat0.csv'));
    await expect(listSatelliteFiles(empty)).rejects.toThrow(/no \.csv files in .*empty/);
  });
});
