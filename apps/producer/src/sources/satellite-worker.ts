/**
 * Worker thread: reads its share of the satellite CSVs, all files at once
 * (like the seed's one thread per satellite), parses them with
 * @lakestream/sim's streaming parser and streams rows to the main thread,
 * each satellite sleeping its random interval between events. Rows go out
 * in chunks, only as far as the main thread has granted credit.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { parseSatelliteCsvChunks, Prng, type SatelliteRow } from '@lakestream/sim';
import type { MainMessage, SatelliteFile, WorkerInput, WorkerMessage } from './satellite-protocol.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('satellite-worker.js runs as a worker thread');

let credit = input.initialCredit;
const creditWaiters: (() => void)[] = [];
let stopped = false;

let ids: number[] = [];
let values: number[] = [];
let flushScheduled = false;

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function flushRows(): void {
  flushScheduled = false;
  if (ids.length === 0) return;
  const idArray = Int32Array.from(ids);
  const valueArray = Float64Array.from(values);
  ids = [];
  values = [];
  post({ type: 'rows', ids: idArray, values: valueArray }, [idArray.buffer, valueArray.buffer]);
}

function emit(id: number, row: SatelliteRow): void {
  ids.push(id);
  values.push(row.temp_c, row.battery_charge_pct, row.altitude, row.sensor1, row.sensor2, row.sensor3);
  if (ids.length >= input.chunkRows) flushRows();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushRows);
  }
}

/** Resolves when credit may be there; callers re-check (another file may have taken it first). */
function creditGranted(): Promise<void> {
  flushRows();
  return new Promise<void>((resolve) => creditWaiters.push(resolve));
}

async function streamFile(file: SatelliteFile): Promise<void> {
  const jitter = new Prng(input.seed, file.id);
  let rows = 0;
  let badRows = 0;
  for await (const chunk of parseSatelliteCsvChunks(createReadStream(file.path), file.path, file.satellite)) {
    for (const error of chunk.errors) {
      badRows += 1;
      post({ type: 'bad-row', error });
    }
    for (const row of chunk.samples) {
      // Only await when out of credit: without sleeps a file then streams a run of its rows
      // at a time (so frames of one satellite fill up) instead of one row per microtask turn.
      while (credit <= 0 && !stopped) await creditGranted();
      if (stopped) return;
      credit -= 1;
      emit(file.id, row);
      rows += 1;
      if (input.sleep) await sleep(jitter.uniform(input.sleep.minMs, input.sleep.maxMs));
      if (stopped) return;
    }
  }
  flushRows();
  post({ type: 'file-done', id: file.id, rows, badRows });
}

port.on('message', (message: MainMessage) => {
  if (message.type === 'credit') credit += message.rows;
  else stopped = true;
  for (const wake of creditWaiters.splice(0)) wake();
});

await Promise.all(
  input.files.map((file) =>
    streamFile(file).catch((error: unknown) => {
      post({ type: 'failed', path: file.path, message: error instanceof Error ? error.message : String(error) });
    }),
  ),
);
flushRows();
post({ type: 'done' });
// Let the thread end once the main thread has the last messages; it also terminates us on 'done'.
port.unref();
