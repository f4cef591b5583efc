/**
 * `nx run consumer:bench`: producer → embedded broker → consumer → bronze +
 * silver + quarantine, measured end to end with the built apps as child
 * processes, against same-run baselines:
 *
 *   1. F1 framed (frames of 100 events per message), --events (default 2M)
 *   2. F1 one event per message, --single-events (default 1M)
 *   3. satellite samples, --sat-events (default 1M; CSVs from libs/sim)
 *   4. latency: real-time F1 producers at --latency-rate (10k events/s) for
 *      --latency-seconds (30) while the consumer runs with --trigger 1s;
 *      p50/p99 from the consumer's /metrics histogram
 *      lakestream_consumer_end_to_end_latency_seconds (event time → silver
 *      commit, interpolated inside buckets as Prometheus' histogram_quantile)
 *
 * Baselines: kcat producing and consuming the same bytes through the same
 * broker (raw path), and @lakestream/sink appending the consumer's silver rows
 * in slices of 10,000 with no Kafka (write ceiling). Consumer events/s is the
 * sustained rate over batches 2..n (line arrival times); "overall" is the
 * consumer's own summary rate (start-up and group join included).
 *
 * Scale: --events N (single and satellite default to N/2), or env
 * CONSUMER_BENCH_EVENTS for CI smoke runs; --only framed,single,sat,latency;
 * --framed-max-offsets N (the framed consumer's --max-offsets-per-trigger; default the consumer's 10,000);
 * --latency-framing on|off (default off: one event per message); --keep keeps the temp dir;
 * --consumer-args="<flags>" adds consumer flags to every scenario (e.g. --consumer-args=--no-restream);
 * --cpu-prof profiles the --once consumers (data/reports/consumer-bench-prof/<scenario>, top self time
 * in the report). Writes data/reports/consumer-bench.md too.
 * Needs the built apps (the nx target depends on build, broker:build, producer:build) and kcat.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { F1_EVENT_RATES_HZ } from '@lakestream/schema';
import { kcatAvailable, kcatBaseline, sinkBaseline, type KcatFigures, type SinkFigures } from './baselines.js';
import { summarizeProfiles } from './profile.js';
import { killAll, startBroker } from './procs.js';
import { markdownTable, ratio, verdict, type Row } from './report.js';
import { consumeOnce, latencyRun, produceF1, produceSatellite, timeoutFor, type ConsumeFigures, type LatencyFigures, type ProduceFigures } from './scenarios.js';

/** Events per second one real-time car emits: the schema's fixed rates, tyres once per corner (on-change events are rare). */
const F1_PER_CAR_HZ = Object.entries(F1_EVENT_RATES_HZ).reduce<number>((n, [type, r]) => n + (typeof r === 'number' ? r * (type === 'tire' ? 4 : 1) : 0), 0);

const GOALS = { framed: 250_000, single: 50_000, p99: 1.5, rssMb: 400 } as const;

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string' },
    'single-events': { type: 'string' },
    'sat-events': { type: 'string' },
    'sat-framing': { type: 'string', default: 'off' },
    'latency-seconds': { type: 'string' },
    'latency-rate': { type: 'string', default: '10000' },
    'latency-framing': { type: 'string', default: 'off' },
    'framed-max-offsets': { type: 'string' },
    only: { type: 'string', default: 'framed,single,sat,latency' },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'consumer-args': { type: 'string', default: '' },
  },
});

const int = (v: string | undefined, fallback: number): number => {
  const n = v === undefined ? fallback : Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got ${v}`);
  return n;
};
const EVENTS = int(flags.events ?? process.env['CONSUMER_BENCH_EVENTS'], 2_000_000);
const SINGLE = int(flags['single-events'], flags.events !== undefined || process.env['CONSUMER_BENCH_EVENTS'] ? Math.ceil(EVENTS / 2) : 1_000_000);
const SAT = int(flags['sat-events'], flags.events !== undefined || process.env['CONSUMER_BENCH_EVENTS'] ? Math.ceil(EVENTS / 2) : 1_000_000);
const LAT_SECONDS = int(flags['latency-seconds'] ?? process.env['CONSUMER_BENCH_LATENCY_SECONDS'], 30);
const LAT_RATE = int(flags['latency-rate'], 10_000);
const ONLY = new Set((flags.only ?? '').split(',').map((s) => s.trim()));
const SAT_FRAMING = flags['sat-framing'] === 'on';
// Frames carry 100 events: the consumer's default of 10,000 offsets per trigger is up to 1M events per batch.
const PROF_DIR = join('data', 'reports', 'consumer-bench-prof');
const profArgs = (scenario: string): string[] => (flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(PROF_DIR, scenario)] : []);
if (flags['cpu-prof']) rmSync(PROF_DIR, { recursive: true, force: true });
/** Extra consumer flags for every scenario, space-separated: --consumer-args="--no-restream --trigger 1s". */
const CONSUMER_ARGS = (flags['consumer-args'] ?? '').split(/\s+/).filter((a) => a !== '');
const FRAMED_ARGS = flags['framed-max-offsets'] === undefined ? [] : ['--max-offsets-per-trigger', String(int(flags['framed-max-offsets'], 10_000))];

const ms = ([p50, p99]: readonly [number, number]): string => `${Math.round(p50)} / ${Math.round(p99)} ms`;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const rows: Row[] = [];
const notes: string[] = [];
const failures: string[] = [];

const kcatMissing = kcatAvailable();
if (kcatMissing) {
  if (process.env['CI'] === 'true') throw new Error(`${kcatMissing}: required under CI`);
  notes.push(`kcat baseline skipped: ${kcatMissing}`);
}

const LOAD_AT_START = loadavg().map((l) => l.toFixed(1)).join(' ');
const dir = mkdtempSync(join(tmpdir(), 'lakestream-consumer-bench-'));
log(`temp dir ${dir}; framed ${EVENTS}, single ${SINGLE}, satellite ${SAT} (${SAT_FRAMING ? 'framed' : 'one per message'}), latency ${LAT_RATE} ev/s × ${LAT_SECONDS} s`);
const broker = await startBroker(join(dir, 'broker'));
log(`broker at ${broker.bootstrap}`);

async function step<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  log(`${name} …`);
  const t0 = performance.now();
  try {
    const r = await fn();
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    failures.push(`${name}: ${msg.split('\n')[0] ?? msg}`);
    log(`${name} FAILED: ${msg}`);
    return undefined;
  }
}

function throughputRows(label: string, produced: ProduceFigures | undefined, c: ConsumeFigures | undefined, k: KcatFigures | undefined, s: SinkFigures | undefined, goal: number | undefined): void {
  if (produced) rows.push({ scenario: `${label}: producer (--no-sleep, ${produced.messages.toLocaleString('en-US')} msgs)`, events: produced.events, seconds: produced.seconds, rate: produced.events / produced.seconds });
  const events = produced?.events;
  const kcatConsume = k && events ? events / k.consumeSeconds : undefined;
  const sinkRate = s ? s.rows / s.seconds : undefined;
  if (c) {
    const rate = c.sustained ?? c.summary.rate;
    const rss = c.peakRssMb;
    const goals = [goal === undefined ? '' : `≥ ${goal.toLocaleString('en-US')} ev/s ${verdict(rate >= goal)}`, `RSS ≤ ${GOALS.rssMb} MB ${verdict(rss <= GOALS.rssMb)}`].filter(Boolean).join('; ');
    const ratios = [ratio(rate, kcatConsume, 'kcat -C'), ratio(rate, sinkRate, 'sink ceiling')].filter(Boolean).join('; ');
    rows.push({ scenario: `${label}: consumer --once (${c.summary.batches} batches)`, events: c.summary.consumed, seconds: c.summary.seconds, rate, overall: c.summary.rate, peakRssMb: rss, goal: goals, ratio: ratios });
    const q = Object.entries(c.summary.quarantined).map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
    notes.push(`${label}: silver ${c.summary.silver.toLocaleString('en-US')} / bronze ${c.summary.bronze.toLocaleString('en-US')}, quarantined ${q}, reconcile ${c.summary.reconciled ? 'ok' : 'OFF'}, process wall ${c.wallSeconds.toFixed(2)} s`);
    if (events !== undefined && c.summary.consumed !== events) failures.push(`${label}: consumer consumed ${c.summary.consumed} of ${events} produced events`);
    const expFailed = c.summary.quarantined['EXPECTATION_FAILED'] ?? 0;
    if (expFailed > c.summary.consumed * 0.001) notes.push(`${label}: WARNING ${expFailed} EXPECTATION_FAILED (event times outside the freshness window?)`);
  }
  if (k && events) {
    rows.push({ scenario: `${label}: baseline kcat -P (same bytes, ${(k.bytes / 1048576).toFixed(1)} MiB)`, events, seconds: k.produceSeconds, rate: events / k.produceSeconds });
    rows.push({ scenario: `${label}: baseline kcat -C -e (same bytes)`, events, seconds: k.consumeSeconds, rate: events / k.consumeSeconds });
  }
  if (s) rows.push({ scenario: `${label}: baseline sink append silver (10k rows/commit, ${s.batches} commits)`, events: s.rows, seconds: s.seconds, rate: s.rows / s.seconds, peakRssMb: s.peakRssMb });
}

let framedSink: SinkFigures | undefined;
try {
  if (ONLY.has('framed')) {
    const produced = await step('f1 framed: produce', () => produceF1(broker.bootstrap, 'bench-f1-framed', EVENTS, true));
    const consumed = produced && (await step('f1 framed: consume', () => consumeOnce({ bootstrap: broker.bootstrap, source: 'f1', topic: 'bench-f1-framed', group: 'bench-framed', tables: join(dir, 'tables-framed'), events: EVENTS, extraArgs: [...CONSUMER_ARGS, ...FRAMED_ARGS], nodeArgs: profArgs('framed') })));
    const k = produced && !kcatMissing ? await step('f1 framed: kcat baseline', () => kcatBaseline(broker.bootstrap, 'bench-f1-framed', dir)) : undefined;
    framedSink = consumed && (await step('f1 framed: sink baseline', () => sinkBaseline(consumed.silverTable, join(dir, 'sink-framed'), timeoutFor(EVENTS))));
    throughputRows('F1 framed', produced, consumed, k, framedSink, GOALS.framed);
    notes.push(`F1 framed: consumer --max-offsets-per-trigger ${FRAMED_ARGS[1] ?? '10000 (default)'} frames per batch`);
  }
  if (ONLY.has('single')) {
    const produced = await step('f1 single: produce', () => produceF1(broker.bootstrap, 'bench-f1-single', SINGLE, false));
    const consumed = produced && (await step('f1 single: consume', () => consumeOnce({ bootstrap: broker.bootstrap, source: 'f1', topic: 'bench-f1-single', group: 'bench-single', tables: join(dir, 'tables-single'), events: SINGLE, extraArgs: CONSUMER_ARGS, nodeArgs: profArgs('single') })));
    const k = produced && !kcatMissing ? await step('f1 single: kcat baseline', () => kcatBaseline(broker.bootstrap, 'bench-f1-single', dir)) : undefined;
    // The write ceiling is the framed run's (same silver schema); shown as its ratio only.
    throughputRows('F1 single', produced, consumed, k, undefined, GOALS.single);
    if (consumed && framedSink) notes.push(`F1 single: ${ratio(consumed.sustained ?? consumed.summary.rate, framedSink.rows / framedSink.seconds, 'the framed run’s sink ceiling')}`);
  }
  if (ONLY.has('sat')) {
    const produced = await step('satellite: produce', () => produceSatellite(broker.bootstrap, 'bench-sat', SAT, SAT_FRAMING, dir));
    const consumed = produced && (await step('satellite: consume', () => consumeOnce({ bootstrap: broker.bootstrap, source: 'sat', topic: 'bench-sat', group: 'bench-sat', tables: join(dir, 'tables-sat'), events: SAT, extraArgs: CONSUMER_ARGS, nodeArgs: profArgs('sat') })));
    const k = produced && !kcatMissing ? await step('satellite: kcat baseline', () => kcatBaseline(broker.bootstrap, 'bench-sat', dir)) : undefined;
    const s = consumed && (await step('satellite: sink baseline', () => sinkBaseline(consumed.silverTable, join(dir, 'sink-sat'), timeoutFor(SAT))));
    throughputRows(`satellite (${SAT_FRAMING ? 'framed' : 'one per message'})`, produced, consumed, k, s, undefined);
  }
  let latency: LatencyFigures | undefined;
  if (ONLY.has('latency')) {
    // Real-time F1 emits F1_PER_CAR_HZ events/s per car (the schema's rates), 99 cars at most per producer: producers of
    // ≤ 5,000 events/s, with as many cars as stay under their share, so the rate cap never holds the simulator back
    // (a capped real-time simulator falls behind the clock, and its event times with it: that lag is not the consumer's).
    const producers = Math.max(1, Math.ceil(LAT_RATE / 5_000));
    const cars = Math.max(1, Math.min(99, Math.floor(LAT_RATE / producers / F1_PER_CAR_HZ)));
    latency = await step('latency', () => latencyRun({ bootstrap: broker.bootstrap, topic: 'bench-f1-latency', tables: join(dir, 'tables-latency'), rate: LAT_RATE, seconds: LAT_SECONDS, producers, cars, framing: flags['latency-framing'] === 'on', extraArgs: CONSUMER_ARGS }));
    if (latency) {
      const achieved = latency.produced / latency.produceSeconds;
      notes.push(
        `latency: ${producers} real-time F1 producer(s) × ${cars} cars (${flags['latency-framing'] === 'on' ? 'framed, --frame-max-ms 100' : 'one event per message'}), ${latency.produced.toLocaleString('en-US')} events in ${latency.produceSeconds.toFixed(1)} s = ${Math.round(achieved).toLocaleString('en-US')} ev/s (target ${LAT_RATE.toLocaleString('en-US')}); ` +
          `consumer --trigger 1s: ${latency.summary.batches} batches, peak RSS ${latency.peakRssMb.toFixed(0)} MB; ${latency.observed.toLocaleString('en-US')} events in the histogram`,
      );
    }
  }

  const lines = [
    `# consumer bench (${new Date().toISOString()})`,
    '',
    `Embedded broker (apps/broker, 6 partitions), built apps as child processes, ${process.platform} ${process.arch}, Node ${process.version}.`,
    'Consumer events/s: sustained over batches 2..n; overall = the consumer summary (start-up, group join, first batch included).',
    `Consumer flags beyond --once/--source/--topic/--group/--tables/--metrics-port 0: ${CONSUMER_ARGS.join(' ') || 'none (defaults)'}; load average at start ${LOAD_AT_START}.`,
    '',
    markdownTable(rows),
    '',
  ];
  if (latency) {
    lines.push(
      `End-to-end latency at ${LAT_RATE.toLocaleString('en-US')} ev/s, --trigger 1s (consumer /metrics histogram lakestream_consumer_end_to_end_latency_seconds, event time → silver commit, bucket-interpolated): ` +
        `p50 ${latency.p50.toFixed(3)} s, p99 ${latency.p99.toFixed(3)} s — goal p99 ≤ ${GOALS.p99} s ${verdict(latency.p99 <= GOALS.p99)}`,
      '',
      `Where it goes (every bronze row, DuckDB over the Delta log; p50 / p99): producer, event time → Kafka timestamp ${ms(latency.breakdown.producerMs)}; ` +
        `consumer pickup, Kafka timestamp → the batch's ingested_at (trigger wait, fetch, backlog) ${ms(latency.breakdown.pickupMs)}; the rest is the batch itself (decode → silver commit).`,
      '',
    );
  }
  if (notes.length > 0) lines.push(...notes.map((n) => `- ${n}`), '');
  if (flags['cpu-prof']) {
    for (const scenario of ['framed', 'single', 'sat']) {
      const d = join(PROF_DIR, scenario);
      if (existsSync(d)) lines.push(`Consumer CPU profile, ${scenario} (${d}, open in Chrome DevTools):`, summarizeProfiles(d), '');
    }
  }
  if (failures.length > 0) lines.push('Failures:', ...failures.map((f) => `- ${f}`), '');
  const report = lines.join('\n');
  process.stdout.write(`${report}\n`);
  mkdirSync('data/reports', { recursive: true });
  writeFileSync('data/reports/consumer-bench.md', report);
  log('report written to data/reports/consumer-bench.md');
} finally {
  await broker.app.stop('SIGTERM', 15_000).catch(() => undefined);
  killAll();
  if (flags.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failures.length > 0 ? 1 : 0;
