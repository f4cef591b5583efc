/**
 * Satellite source: all CSVs of the samples directory, read concurrently by a
 * pool of worker threads (satellite-worker.ts), rows stamped with the send
 * time here on the main thread and published keyed by satellite name.
 */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SatelliteSample } from '@lakestream/schema';
import type { CsvRowError } from '@lakestream/sim';
import { nowNs } from '../clock.js';
import { SamplesNotFoundError, SourceError } from '../errors.js';
import type { EventIntake } from '../pipeline.js';
import { ROW_WIDTH, type SatelliteFile, type WorkerInput, type WorkerMessage } from './satellite-protocol.js';
import type { SourceResult } from './source.js';

export interface SatelliteSourceOptions {
  /** From listSatelliteFiles. */
  readonly files: readonly SatelliteFile[];
  readonly sleep: { readonly minMs: number; readonly maxMs: number } | undefined;
  readonly seed: number;
  readonly pipeline: EventIntake<SatelliteSample>;
  readonly signal: AbortSignal;
  /** Called for every bad row, in arrival order; throwing (--strict) stops the source with that error. */
  readonly onBadRow: (error: CsvRowError) => void;
  /** Worker threads; default min(files, cores). */
  readonly workers?: number;
}

/** Rows in flight per worker: bounds memory when publishing is slower than reading. */
const CREDIT_PER_WORKER = 16_384;
const CHUNK_ROWS = 2_048;

/** Starts a reader thread running satellite-worker: .js next to this file in dist, .ts from sources. */
function startWorker(workerData: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./satellite-worker.js', import.meta.url), { workerData });
  // From TypeScript sources (tsx, tests importing src): Node 20 does not give worker threads the
  // parent's module hooks, so the worker registers tsx itself before loading the .ts module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./satellite-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export async function listSatelliteFiles(samplesDir: string): Promise<SatelliteFile[]> {
  let names: string[];
  try {
    names = await readdir(samplesDir);
  } catch (cause) {
    throw new SamplesNotFoundError(`no samples directory ${samplesDir} (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); generate samples with \`npx nx run sim:generate\` or pass --samples-dir`, { samplesDir }, { cause });
  }
  const csvs = names.filter((n) => n.toLowerCase().endsWith('.csv')).sort(naturalOrder);
  if (csvs.length === 0) throw new SamplesNotFoundError(`no .csv files in ${samplesDir}; generate samples with \`npx nx run sim:generate\` or pass --samples-dir`, { samplesDir });
  return csvs.map((name, id) => ({ id, path: join(samplesDir, name), satellite: name.slice(0, -'.csv'.length) }));
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

interface Inbox {
  readonly worker: Worker;
  readonly message: WorkerMessage;
}

export async function runSatelliteSource(options: SatelliteSourceOptions): Promise<SourceResult> {
  const { files, pipeline, signal } = options;
  const poolSize = Math.max(1, Math.min(files.length, options.workers ?? availableParallelism()));
  const shares: SatelliteFile[][] = Array.from({ length: poolSize }, () => []);
  files.forEach((file, i) => shares[i % poolSize]?.push(file));

  const inbox: Inbox[] = [];
  let wake: (() => void) | undefined;
  const deliver = (item: Inbox) => {
    inbox.push(item);
    wake?.();
  };
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    wake?.();
  };

  const workers = shares.map((share) => {
    const workerData: WorkerInput = { files: share, sleep: options.sleep, seed: options.seed, initialCredit: CREDIT_PER_WORKER, chunkRows: CHUNK_ROWS };
    const worker = startWorker(workerData);
    worker.on('message', (message: WorkerMessage) => deliver({ worker, message }));
    worker.on('error', (error) => fail(new SourceError(`satellite reader thread failed: ${error.message}`, {}, { cause: error })));
    return worker;
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);

  let running = workers.length;
  let rows = 0;
  let badRows = 0;
  let reason: SourceResult['reason'] = 'completed';
  try {
    while (running > 0) {
      if (failure) throw failure;
      if (signal.aborted) {
        reason = 'stopped';
        break;
      }
      const item = inbox.shift();
      if (!item) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const { worker, message } = item;
      switch (message.type) {
        case 'rows': {
          const sent = await publishRows(message.ids, message.values, files, pipeline, signal);
          rows += sent;
          if (sent < message.ids.length) {
            reason = pipeline.limitReached ? 'limit' : 'stopped';
            return { reason, rows, badRows };
          }
          worker.postMessage({ type: 'credit', rows: message.ids.length });
          break;
        }
        case 'bad-row':
          badRows += 1;
          options.onBadRow(message.error);
          break;
        case 'failed':
          throw new SourceError(`cannot read ${message.path}: ${message.message}`, { path: message.path });
        case 'done':
          running -= 1;
          void worker.terminate();
          break;
        case 'file-done':
          break;
      }
    }
    if (failure) throw failure;
    return { reason, rows, badRows };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Stamps and submits one chunk; returns how many rows were submitted (fewer when stopped or at the limit). */
async function publishRows(ids: Int32Array, values: Float64Array, files: readonly SatelliteFile[], pipeline: EventIntake<SatelliteSample>, signal: AbortSignal): Promise<number> {
  for (let i = 0; i < ids.length; i++) {
    if (signal.aborted || !(await pipeline.admit())) return i;
    const o = i * ROW_WIDTH;
    const satellite = (files[ids[i] as number] as SatelliteFile).satellite;
    const sample: SatelliteSample = {
      satellite,
      timestamp_ns: nowNs(),
      temp_c: values[o] as number,
      battery_charge_pct: values[o + 1] as number,
      altitude: values[o + 2] as number,
      sensor1: values[o + 3] as number,
      sensor2: values[o + 4] as number,
      sensor3: values[o + 5] as number,
    };
    await pipeline.submit(satellite, sample);
  }
  return ids.length;
}
