/**
 * Codec throughput against JSON, in one process and one run:
 *
 *   nx run codec:bench            (or: node --conditions=@lakestream/source --import tsx libs/codec/bench/codec.bench.ts)
 *   ... codec.bench.ts --quick    (shorter runs, for a smoke check)
 *
 * Each codec case and its JSON baseline are warmed up, then timed in
 * alternating runs of about one second (so both see the same machine load);
 * the best run of each counts. Prints a markdown table.
 */
import { decode, Encoder } from '../src/index.js';
import { f1Events, jsonCopies, satelliteSamples } from './events.js';
import { measurePair, printTable, type Row } from './harness.js';

const quick = process.argv.includes('--quick');
const RUN_MS = quick ? 200 : 1000;
const RUNS = quick ? 2 : 3;
const FRAME = 500;
const EVENTS = 20_000;

const textEncoder = new TextEncoder();
const rows: Row[] = [];
let sink = 0;

function source(name: string, events: readonly object[], encodeOne: (e: Encoder, x: never) => Uint8Array, encodeFrame: (e: Encoder, xs: never[]) => Uint8Array): void {
  const encoder = new Encoder();
  const json = jsonCopies(events);
  const frames: object[][] = [];
  const jsonFrames: object[][] = [];
  for (let i = 0; i < events.length; i += FRAME) {
    frames.push(events.slice(i, i + FRAME));
    jsonFrames.push(json.slice(i, i + FRAME));
  }
  const singles = events.map((e) => encodeOne(encoder, e as never));
  const singleJson = json.map((e) => JSON.stringify(e));
  const framed = frames.map((f) => encodeFrame(encoder, f as never[]));
  const framedJson = jsonFrames.map((f) => JSON.stringify(f));
  const bytes = (xs: readonly Uint8Array[]) => xs.reduce((s, x) => s + x.length, 0);
  const utf8 = (xs: readonly string[]) => xs.reduce((s, x) => s + textEncoder.encode(x).length, 0);
  const n = events.length;

  type Case = readonly [name: string, wireBytes: number, run: () => void];
  const pairs: [codec: Case, json: Case][] = [
    [
      [`${name} single encode`, bytes(singles), () => { for (const e of events) sink += encodeOne(encoder, e as never).length; }],
      [`${name} single JSON.stringify`, utf8(singleJson), () => { for (const e of json) sink += JSON.stringify(e).length; }],
    ],
    [
      [`${name} single decode`, bytes(singles), () => { for (const m of singles) sink += decode(m).ok ? 1 : 0; }],
      [`${name} single JSON.parse`, utf8(singleJson), () => { for (const s of singleJson) sink += (JSON.parse(s) as object) ? 1 : 0; }],
    ],
    [
      [`${name} frame×${FRAME} encode`, bytes(framed), () => { for (const f of frames) sink += encodeFrame(encoder, f as never[]).length; }],
      [`${name} frame×${FRAME} JSON.stringify`, utf8(framedJson), () => { for (const f of jsonFrames) sink += JSON.stringify(f).length; }],
    ],
    [
      [`${name} frame×${FRAME} decode`, bytes(framed), () => { for (const m of framed) { const r = decode(m); sink += r.ok ? r.value.events.length : 0; } }],
      [`${name} frame×${FRAME} JSON.parse`, utf8(framedJson), () => { for (const s of framedJson) sink += (JSON.parse(s) as unknown[]).length; }],
    ],
  ];
  for (const [[codecName, codecBytes, codecRun], [jsonName, jsonBytes, jsonRun]] of pairs) {
    const [codec, base] = measurePair(codecRun, jsonRun, RUN_MS, RUNS);
    rows.push({ name: codecName, eventsPerSec: n * codec, mbPerSec: (codecBytes * codec) / 1e6, ratio: codec / base, bytesPerEvent: codecBytes / n });
    rows.push({ name: jsonName, eventsPerSec: n * base, mbPerSec: (jsonBytes * base) / 1e6, ratio: 1, bytesPerEvent: jsonBytes / n });
  }
}

const check = decode(new Encoder().encodeF1Frame(f1Events(10)));
if (!check.ok) throw check.error;

source('satellite', satelliteSamples(EVENTS), (e, x) => e.encodeSatelliteSample(x), (e, xs) => e.encodeSatelliteFrame(xs));
source('f1', f1Events(EVENTS), (e, x) => e.encodeF1Event(x), (e, xs) => e.encodeF1Frame(xs));

printTable(rows, {
  node: process.version,
  notes: [
    `${EVENTS} distinct events per source; frames of ${FRAME} events; best of ${RUNS} runs of ~${RUN_MS} ms after warm-up.`,
    'JSON baseline: the same events with bigint fields pre-converted to decimal strings, plain JSON.stringify / JSON.parse (no replacer, no reviver); stringify ends at a JS string (no UTF-8 encoding counted), parse starts from one.',
    'MB/s counts wire bytes (codec message bytes incl. the 5-byte header; UTF-8 bytes of the JSON text). ratio = events/s ÷ events/s of the JSON row below it.',
    'F1 mix of one car at nominal rates: power_unit 50 Hz, dynamics 20 Hz, tire 4×5 Hz, position 10 Hz, aerodynamics 10 Hz, system rare; full-precision doubles. Satellite: 2-decimal values as the seed CSV, 100 satellite names.',
  ],
});
if (sink === 0) console.log('(sink)');
