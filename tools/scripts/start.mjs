#!/usr/bin/env node
// `npm start`, the main job: builds the apps, starts lakestream's embedded Kafka-protocol broker
// (data in data/broker) unless KAFKA_BROKERS names a Kafka to use instead, generates the seed's
// satellite samples into data/samples (once), then runs together:
//   - the consumer (exactly-once micro-batches into data/delta-tables, metrics on :9464 or a free port),
//   - the satellite producer (the samples for START_SATELLITE_SECONDS, 1% injected faults),
//   - the F1 producer (one session of 5 cars, 150,000 events ≈ 3 laps, 1% injected faults),
// waits for the producers, lets the consumer drain (it exits once caught up and idle), prints a
// summary that reconciles what was produced with what landed in bronze, silver and quarantine, then
// builds the gold models (gold build) and writes the report (gold report), printing its path.
// Ctrl-C stops everything gracefully (producers flush, the consumer commits its batch); nothing is lost,
// and the next `npm start` resumes from the offsets stored in the Delta tables.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const step = (msg) => console.log(`\n▶ ${msg}`);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const satelliteSeconds = Number(process.env.START_SATELLITE_SECONDS ?? 30);
const f1Events = Number(process.env.START_F1_EVENTS ?? 150000);
// Five cars run ~550 events per simulated second: 150,000 events are ~4.5 minutes of racing (3 laps). The session
// starts that long ago, so the simulator (which runs ahead of the clock with --no-sleep) ends in the present and
// every event passes the freshness expectation (event time within [Kafka time − 6 h, Kafka time + 60 s]).
const f1StartTime = new Date(Date.now() - Math.ceil(f1Events / 550) * 1000 - 10_000).toISOString();
const faultRate = process.env.START_FAULT_RATE ?? '0.01';

step('building the broker, the producer, the consumer and the libs they use');
run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'broker', 'producer', 'consumer', 'gold', '--output-style=static']);

const samples = join(root, 'data', 'samples');
if (!existsSync(samples) || !readdirSync(samples).some((f) => /^sat\d+\.csv$/.test(f))) {
  step('generating satellite samples into data/samples (1000 satellites × 1000 samples, seed 88)');
  run('node', [join(root, 'libs/sim/dist/cli.js'), 'satellite', '--out', samples, ...(existsSync(samples) ? ['--force'] : [])]);
} else {
  console.log('data/samples already holds samples; `npx nx run sim:generate -- --force` regenerates them');
}
const reports = join(root, 'data', 'reports');
mkdirSync(reports, { recursive: true });
const summaries = {
  satellite: join(reports, 'producer-satellite.json'),
  f1: join(reports, 'producer-f1.json'),
  consumer: join(reports, 'consumer-summary.json'),
};
for (const file of Object.values(summaries)) rmSync(file, { force: true });

/** Starts apps/broker on 9092 (or a free port when 9092 is taken) and resolves with its address. */
function startBroker() {
  const tryPort = (port) =>
    new Promise((resolve, reject) => {
      // Its own process group: a Ctrl-C in the terminal reaches this script, which stops the
      // producers and the consumer first and the broker last.
      const child = spawn('node', [join(root, 'apps/broker/dist/main.js'), '--port', String(port), '--dir', join(root, 'data', 'broker')], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
        detached: true,
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /listening on (\S+)/.exec(line);
        if (match) resolve({ child, bootstrap: match[1] });
      });
      child.once('exit', (code) => reject(Object.assign(new Error(stderr.trim() || `broker exited with ${code}`), { code })));
    });
  return tryPort(9092).catch((error) => {
    if (!/in use/i.test(String(error.message))) throw error;
    console.log('port 9092 is taken: starting the embedded broker on a free port instead');
    return tryPort(0);
  });
}

let brokers = process.env.KAFKA_BROKERS;
let broker;
if (brokers) {
  step(`KAFKA_BROKERS=${brokers}: using that Kafka (the embedded broker is not started)`);
} else {
  broker = await startBroker().catch((error) => {
    console.error(`could not start the embedded broker: ${error.message}`);
    process.exit(1);
  });
  brokers = broker.bootstrap;
  step(`embedded broker listening on ${brokers} (data in data/broker; any Kafka client can connect)`);
}

/** Runs an app in its own process group, its output prefixed; resolves with its exit code. */
function startApp(name, script, args) {
  const child = spawn('node', [join(root, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const prefix = `[${name}]`.padEnd(12);
  createInterface({ input: child.stdout }).on('line', (line) => console.log(`${prefix} ${line}`));
  createInterface({ input: child.stderr }).on('line', (line) => console.error(`${prefix} ${line}`));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { name, child, exited };
}

const metricsPort = process.env.LAKESTREAM_METRICS_PORT ?? '9464';
step(`consumer: exactly-once micro-batches into data/delta-tables (metrics on :${metricsPort}); it exits once caught up and idle`);
const consumer = startApp('consumer', 'apps/consumer/dist/main.js', [
  '--brokers', brokers, '--trigger', '2s', '--idle-timeout', '10s', '--metrics-port', metricsPort,
  '--summary-json', summaries.consumer, '--docs',
]);
step(`producers: satellite samples for ${satelliteSeconds} s and one F1 session (5 cars, ${f1Events} events), ${Number(faultRate) * 100}% injected faults`);
const producers = [
  startApp('satellite', 'apps/producer/dist/main.js', [
    '--source', 'satellite', '--brokers', brokers, '--samples-dir', samples, '--duration', String(satelliteSeconds),
    '--inject-faults', faultRate, '--summary-json', summaries.satellite,
  ]),
  startApp('f1', 'apps/producer/dist/main.js', [
    '--source', 'f1', '--brokers', brokers, '--cars', '5', '--max-events', String(f1Events), '--no-sleep', '--start-time', f1StartTime,
    '--inject-faults', faultRate, '--summary-json', summaries.f1,
  ]),
];

// Ctrl-C: each app gets it once (a second one would make a producer skip its flush, or the consumer
// abandon its batch); a second Ctrl-C is passed on for those who really want out.
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted++;
    if (interrupted === 1) console.log(`\n${signal}: stopping the producers (they flush) and the consumer (it commits its batch)…`);
    for (const app of [...producers, consumer]) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill(signal);
  });
}

const producerCodes = await Promise.all(producers.map((p) => p.exited));
if (interrupted === 0) console.log('\nproducers done; the consumer drains what is left and exits once idle for 10 s');
const consumerCode = await consumer.exited;

if (broker && broker.child.exitCode === null && broker.child.signalCode === null) {
  const stopped = new Promise((resolve) => broker.child.once('exit', resolve));
  broker.child.kill('SIGTERM');
  await stopped;
}

printReconciliation();
let goldCode = 0;
if (interrupted === 0) {
  step('gold: dbt-like models on DuckDB over the silver tables → gold Delta tables (gold build), then the report');
  goldCode = runStatus('node', [join(root, 'apps/gold/dist/main.js'), 'build', '--tables', join(root, 'data', 'delta-tables')]);
  const reportCode = runStatus('node', [join(root, 'apps/gold/dist/main.js'), 'report', '--tables', join(root, 'data', 'delta-tables'), '--out', join(reports, 'gold-report.html')]);
  if (reportCode === 0) console.log(`\nreport: ${join(reports, 'gold-report.html')} (open it in a browser; it works offline)`);
  goldCode ||= reportCode;
}
const failed = [...producerCodes, consumerCode, goldCode].some((c) => c !== 0);
process.exit(failed ? 1 : 0);

function runStatus(cmd, args) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What the producers say the consumer should have written, next to what it wrote this run. */
function printReconciliation() {
  const consumerSummary = readJson(summaries.consumer);
  step('main job summary');
  for (const source of ['satellite', 'f1']) {
    const produced = readJson(summaries[source]);
    const got = consumerSummary?.sources?.find((s) => s.source === source);
    if (!produced || !got) {
      console.log(`  ${source}: ${!produced ? 'no producer summary' : 'no consumer summary'} (interrupted?)`);
      continue;
    }
    const rows = (role) => got.tables.find((t) => t.role === role)?.rowsWritten ?? 0;
    const quarantined = Object.values(got.quarantined).reduce((a, b) => a + b, 0);
    const e = produced.expected;
    const check = (label, want, have) => `${label} expected ${want}, written ${have} ${want === have ? '✓' : '✗'}`;
    console.log(`  ${source}: produced ${produced.events} events in ${produced.messages} messages (${Object.entries(produced.faults).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'no faults'})`);
    console.log(`    ${check('bronze', e.bronze, rows('bronze'))}; ${check('silver', e.silver, rows('silver'))}; ${check('quarantine', e.quarantine, quarantined)}`);
    const lost = produced.eventsInCorruptMessages ?? 0;
    console.log(`    events produced ${produced.events} = bronze ${rows('bronze')} + events in ${produced.corruptMessages ?? 0} undecodable messages ${lost} ${produced.events === rows('bronze') + lost ? '✓' : '✗'}`);
    const r = got.reconcile;
    if (r) console.log(`    silver ${r.silver} = bronze ${r.bronze} − failed expectations ${r.expectationFailures} − duplicates ${r.duplicates} − unknown session ${r.unknownSession} ${r.silverDiff === 0 ? '✓' : '✗'}`);
    const lag = got.lag.reduce((n, l) => n + l.records, 0);
    console.log(`    lag ${lag} records`);
  }
  if (consumerSummary) {
    const seen = new Set();
    console.log('  tables:');
    for (const s of consumerSummary.sources) {
      for (const t of s.tables) {
        if (seen.has(t.path)) continue;
        seen.add(t.path);
        console.log(`    ${join('data/delta-tables', t.path).padEnd(46)} v${t.version}`);
      }
    }
    console.log(`  consumer: ${consumerSummary.batches} batches in ${(consumerSummary.elapsedMs / 1000).toFixed(1)} s; data docs in data/reports/data-docs.html`);
  }
  console.log('  (counts are this run\'s; a previous interrupted run\'s leftovers are consumed first and counted here too)');
}
