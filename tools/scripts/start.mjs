#!/usr/bin/env node
// `npm start`, the main job. Until the embedded broker (issue 3), the consumer
// and the Delta sink land, it: builds the producer, generates the seed's
// satellite samples into data/samples (once), and publishes them to the Kafka
// named by KAFKA_BROKERS. Without KAFKA_BROKERS it uses librdkafka's in-memory
// mock cluster (hosted by kcat) as a stand-in broker, and says so.
// Arguments after `npm start --` go to the producer.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const step = (msg) => console.log(`\n▶ ${msg}`);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

step('building the producer and the libs it uses');
run('npx', ['nx', 'run', 'producer:build', '--output-style=static']);

const samples = join(root, 'data', 'samples');
if (!existsSync(samples) || !readdirSync(samples).some((f) => /^sat\d+\.csv$/.test(f))) {
  step('generating satellite samples into data/samples (1000 satellites × 1000 samples, seed 88)');
  run('node', [join(root, 'libs/sim/dist/cli.js'), 'satellite', '--out', samples, ...(existsSync(samples) ? ['--force'] : [])]);
} else {
  console.log('data/samples already holds samples; `npx nx run sim:generate -- --force` regenerates them');
}

let brokers = process.env.KAFKA_BROKERS;
let mock;
if (!brokers) {
  const kcat = spawnSync('kcat', ['-V'], { stdio: 'ignore' });
  if (kcat.status !== 0) {
    console.error(
      '\nNo broker: KAFKA_BROKERS is not set and kcat is not installed.\n' +
        '  • point at a Kafka:   KAFKA_BROKERS=host:9092 npm start\n' +
        '  • or install kcat to use librdkafka\'s in-memory mock cluster: sudo apt-get install kcat\n' +
        '(lakestream\'s own embedded broker is the next issue.)',
    );
    process.exit(1);
  }
  const { startMockCluster } = await import('@lakestream/testing');
  mock = await startMockCluster();
  brokers = mock.bootstrap;
  step(`KAFKA_BROKERS not set: using librdkafka's in-memory mock cluster at ${brokers} (no persistence; stand-in until the embedded broker lands)`);
}

step(`publishing satellite samples to ${brokers} (Ctrl-C stops and prints a summary)`);
const producer = spawn('node', [join(root, 'apps/producer/dist/main.js'), '--source', 'satellite', '--brokers', brokers, '--samples-dir', samples, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => producer.kill(signal));
producer.on('exit', async (code, signal) => {
  await mock?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
