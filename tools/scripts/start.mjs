#!/usr/bin/env node
// `npm start`, the main job: builds the apps, starts lakestream's embedded
// Kafka-protocol broker (data in data/broker) unless KAFKA_BROKERS names a
// Kafka to use instead, generates the seed's satellite samples into
// data/samples (once), and publishes them with the producer.
// Arguments after `npm start --` go to the producer.
// (The consumer, Delta sink and gold models join this command in later issues.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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

step('building the broker, the producer and the libs they use');
run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'broker', 'producer', '--output-style=static']);

const samples = join(root, 'data', 'samples');
if (!existsSync(samples) || !readdirSync(samples).some((f) => /^sat\d+\.csv$/.test(f))) {
  step('generating satellite samples into data/samples (1000 satellites × 1000 samples, seed 88)');
  run('node', [join(root, 'libs/sim/dist/cli.js'), 'satellite', '--out', samples, ...(existsSync(samples) ? ['--force'] : [])]);
} else {
  console.log('data/samples already holds samples; `npx nx run sim:generate -- --force` regenerates them');
}

/** Starts apps/broker on 9092 (or a free port when 9092 is taken) and resolves with its address. */
function startBroker() {
  const tryPort = (port) =>
    new Promise((resolve, reject) => {
      // Its own process group: a Ctrl-C in the terminal reaches the producer (which flushes)
      // but not the broker, which this script stops once the producer is done.
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
  step(`KAFKA_BROKERS=${brokers}: publishing to that Kafka (the embedded broker is not started)`);
} else {
  broker = await startBroker().catch((error) => {
    console.error(`could not start the embedded broker: ${error.message}`);
    process.exit(1);
  });
  brokers = broker.bootstrap;
  step(`embedded broker listening on ${brokers} (data in data/broker; any Kafka client can connect)`);
}

step(`publishing satellite samples to ${brokers} (Ctrl-C stops and prints a summary)`);
const producer = spawn('node', [join(root, 'apps/producer/dist/main.js'), '--source', 'satellite', '--brokers', brokers, '--samples-dir', samples, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env,
  // Own process group too: a terminal Ctrl-C reaches only this script, which forwards it exactly
  // once (a second SIGINT would make the producer exit without flushing).
  detached: true,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => producer.kill(signal));
producer.on('exit', (code, signal) => {
  const exitCode = code ?? (signal ? 1 : 0);
  if (!broker || broker.child.exitCode !== null || broker.child.signalCode !== null) process.exit(exitCode);
  broker.child.once('exit', () => process.exit(exitCode));
  broker.child.kill('SIGTERM');
});
