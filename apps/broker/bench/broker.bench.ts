/**
 * Our broker against librdkafka's mock cluster, same workload, one script:
 *
 *   nx run broker:bench        (or: node --conditions=@lakestream/source --import tsx apps/broker/bench/broker.bench.ts)
 *   ... broker.bench.ts --quick          100k messages instead of 1M
 *       --runs N                         repeat every case N times, order alternating; the best run counts
 *                                        (default 2, or 1 with --quick)
 *       --partitions N                   our broker's partitions for the issue's workload (default 6)
 *       --cpu-prof                       profile our broker (node --cpu-prof) and print its hot spots
 *       --keep                           keep the temp dir (kcat input, broker data, profile)
 *
 * Processes: our broker (apps/broker/dist/main.js, fresh data dir, default
 * flush policy), the mock (a kcat process), each client (a forked kafkajs
 * process or a kcat process) and this script, which only orchestrates.
 *
 * The mock (librdkafka 2.0.2) has no CreateTopics and auto-creates topics with
 * 4 partitions, and keeps only the newest 5 MiB of each partition (~30k of
 * these messages). So: every case runs on the mock with 4 partitions and on
 * our broker with 4 partitions (the like-for-like ratio the goals use) and
 * with 6 (the issue's workload). Consume cases read 100k-message topics
 * (what the mock retains whole) up to the total, the two brokers taking turns;
 * our broker also reads the whole 1M topic its 6-partition produce wrote.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeTool } from '@lakestream/testing';
import type { ConsumeJob, ProduceJob, TopicCount } from './kafkajs-client.js';
import { summarizeProfile } from './profile.js';
import { best, fmt, printGoals, printTable, rate, ratioToMock, type CaseName, type Goal, type Leg, type Row } from './report.js';
import { addSamples, KafkajsClient, kcatConsume, kcatProduce, type Sample } from './runners.js';
import { startMock, startOurs, type Target } from './targets.js';
import { writeKcatFile } from './workload.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
};

const QUICK = flag('--quick');
const TOTAL = QUICK ? 100_000 : 1_000_000;
/** Messages per consume round: at most what one mock topic of 4 partitions retains whole (5 MiB a partition), at least 2 rounds. */
const ROUND = Math.min(100_000, Math.floor(TOTAL / 2));
const ROUNDS = Math.floor(TOTAL / ROUND);
const WARMUP = QUICK ? 10_000 : 20_000;
/** Best of two by default: on a shared 2-core machine one run can lose a core to a neighbour for seconds. */
const RUNS = option('--runs', QUICK ? 1 : 2);
const OUR_PARTITIONS = option('--partitions', 6);
const MOCK_PARTITIONS = 4;
const KAFKAJS = { batchSize: 10_000, inFlight: 4, acks: -1 as const };
const TIMEOUT_MS = QUICK ? 120_000 : 900_000;
/** librdkafka settings for filling the consume cases' topics: batches of up to 1 MB (~5.7k messages). */
const FILL_CONFIG = ['batch.size=1000000', 'batch.num.messages=100000', 'linger.ms=200'];

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

interface Side {
  readonly leg: Leg;
  readonly target: Target;
}

/** Round r of every like-for-like side before round r + 1, the side order alternating, so load drift hits both alike. */
async function inTurns(roundTopics: ReadonlyMap<Side, readonly TopicCount[]>, run: number, fn: (side: Side, topic: TopicCount) => Promise<Sample>): Promise<Map<Side, Sample[]>> {
  const out = new Map<Side, Sample[]>();
  const sides = [...roundTopics.keys()];
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of (r + run) % 2 === 0 ? sides : [...sides].reverse()) {
      out.set(side, [...(out.get(side) ?? []), await fn(side, (roundTopics.get(side) as TopicCount[])[r] as TopicCount)]);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const kcat = probeTool('kcat', ['-V']);
  if (!kcat.available) throw new Error(kcat.reason);
  const kcatVersion = /librdkafka (\S+)/.exec(execFileSync('kcat', ['-V'], { encoding: 'utf8' }))?.[1] ?? '?';
  const loadStart = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'lakestream-broker-bench-'));
  const profileDir = flag('--cpu-prof') ? join(dir, 'profile') : undefined;
  const kcatFile = join(dir, 'messages.txt');
  const roundFile = join(dir, 'round.txt');
  log(`writing ${fmt(TOTAL)} kcat lines to ${kcatFile}`);
  await writeKcatFile(kcatFile, TOTAL);
  await writeKcatFile(roundFile, ROUND);

  const mock = await startMock();
  const ours = await startOurs({ dir: join(dir, 'broker'), defaultPartitions: OUR_PARTITIONS, ...(profileDir ? { cpuProfileDir: profileDir } : {}) });
  log(`mock at ${mock.bootstrap} (pid ${mock.pid}), ours at ${ours.bootstrap} (pid ${ours.pid})`);
  const sides: Side[] = [
    { leg: { label: `librdkafka ${kcatVersion} mock (${MOCK_PARTITIONS} partitions)`, kind: 'mock', partitions: MOCK_PARTITIONS, likeForLike: true }, target: mock },
    { leg: { label: `lakestream (${MOCK_PARTITIONS} partitions)`, kind: 'ours', partitions: MOCK_PARTITIONS, likeForLike: true }, target: ours },
  ];
  if (OUR_PARTITIONS !== MOCK_PARTITIONS) {
    sides.push({ leg: { label: `lakestream (${OUR_PARTITIONS} partitions)`, kind: 'ours', partitions: OUR_PARTITIONS, likeForLike: false }, target: ours });
  }

  const samples = new Map<string, Sample[]>();
  const workloads = new Map<string, string>();
  const record = (caseName: CaseName, side: Side, workload: string, sample: Sample) => {
    const key = `${caseName}|${side.leg.label}`;
    samples.set(key, [...(samples.get(key) ?? []), sample]);
    workloads.set(key, workload);
    log(`${caseName} · ${side.leg.label}: ${fmt(rate(sample))} msgs/s (${fmt(sample.seconds, 2)} s, broker CPU ${fmt(sample.brokerCpuSeconds, 2)} s); our RSS ${fmt(ours.memory()?.rssMiB ?? NaN)} MiB`);
  };
  const memoryAfter: string[] = [];
  let oursPeakMiB = NaN;
  let mockPeakMiB = NaN;
  let stopped = false;
  try {
    // Round topics (like-for-like consume input), filled untimed by kcat and checked to be retained whole.
    // ~1 MB batches: the mock serves one stored batch per partition per Fetch
    // (rdkafka_mock_handlers.c, "FIXME: Multiple messageSets?"), so small
    // batches would make it round-trip bound. Big ones give it its best case.
    const roundTopics = new Map<Side, TopicCount[]>();
    for (const side of sides.filter((s) => s.leg.likeForLike)) {
      const topics: TopicCount[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const topic = `round-${side.leg.partitions}p-${r}`;
        await side.target.createTopic(topic, side.leg.partitions);
        await kcatProduce(side.target, topic, roundFile, ROUND, TIMEOUT_MS, FILL_CONFIG);
        const offsets = await side.target.offsets(topic);
        if (offsets.some((p) => p.low !== 0)) throw new Error(`${side.leg.label} did not retain ${topic} whole: ${JSON.stringify(offsets)}`);
        topics.push({ topic, count: ROUND });
      }
      roundTopics.set(side, topics);
    }
    log(`filled ${ROUNDS} round topic(s) of ${fmt(ROUND)} on each like-for-like side`);

    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? sides : [...sides].reverse();
      const produced = new Map<Side, string>();
      const kcatProduced = new Map<Side, string>();

      for (const side of order) {
        const topic = `kafkajs-${side.leg.partitions}p-run${run}`;
        const warmupTopic = `${topic}-warmup`;
        await side.target.createTopic(topic, side.leg.partitions);
        await side.target.createTopic(warmupTopic, side.leg.partitions);
        const job: ProduceJob = { kind: 'produce', bootstrap: side.target.bootstrap, topic, count: TOTAL, warmupTopic, warmupCount: WARMUP, ...KAFKAJS };
        const client = await KafkajsClient.start(job, side.target, TIMEOUT_MS);
        const sample = await client.run().finally(() => client.close());
        const high = (await side.target.offsets(topic)).reduce((s, p) => s + p.high, 0);
        if (high !== TOTAL) throw new Error(`kafkajs produce into ${side.leg.label}: ${high} messages in ${topic}, expected ${TOTAL}`);
        record('kafkajs produce', side, `${fmt(TOTAL)} msgs, batches of ${fmt(KAFKAJS.batchSize)}, ${KAFKAJS.inFlight} in flight, acks=-1`, sample);
        produced.set(side, topic);
      }

      // One warmed-up kafkajs client per side; the like-for-like sides take turns round by round.
      const clients = new Map<Side, KafkajsClient>();
      try {
        for (const side of order) {
          const job: ConsumeJob = { kind: 'consume', bootstrap: side.target.bootstrap, warmup: [{ topic: `${produced.get(side)}-warmup`, count: WARMUP }], groupPrefix: `bench-run${run}` };
          clients.set(side, await KafkajsClient.start(job, side.target, TIMEOUT_MS));
        }
        const rounds = await inTurns(roundTopics, run, (side, topic) => (clients.get(side) as KafkajsClient).run(topic));
        for (const side of order) {
          const whole = !side.leg.likeForLike;
          const sample = whole ? await (clients.get(side) as KafkajsClient).run({ topic: produced.get(side) as string, count: TOTAL }) : addSamples(rounds.get(side) as Sample[]);
          record('kafkajs consume', side, whole ? `1 topic of ${fmt(TOTAL)}, from the beginning` : `${ROUNDS} topic(s) of ${fmt(ROUND)}, in turns with the other broker`, sample);
        }
      } finally {
        for (const client of clients.values()) await client.close();
      }

      for (const side of order) {
        const topic = `kcat-${side.leg.partitions}p-run${run}`;
        await side.target.createTopic(topic, side.leg.partitions);
        const sample = await kcatProduce(side.target, topic, kcatFile, TOTAL, TIMEOUT_MS);
        record('kcat produce', side, `${fmt(TOTAL)} lines, -K :, librdkafka defaults`, sample);
        kcatProduced.set(side, topic);
      }

      const kcatRounds = await inTurns(roundTopics, run, (side, topic) => kcatConsume(side.target, topic, TIMEOUT_MS));
      for (const side of order) {
        const whole = !side.leg.likeForLike;
        const sample = whole ? await kcatConsume(side.target, { topic: kcatProduced.get(side) as string, count: TOTAL }, TIMEOUT_MS) : addSamples(kcatRounds.get(side) as Sample[]);
        record('kcat consume', side, whole ? `1 topic of ${fmt(TOTAL)}, -c ${fmt(TOTAL)}` : `${ROUNDS} topic(s) of ${fmt(ROUND)}, -c ${fmt(ROUND)} each, in turns`, sample);
      }
      memoryAfter.push(`run ${run + 1}: RSS ${fmt(ours.memory()?.rssMiB ?? NaN)} MiB, peak ${fmt(ours.memory()?.peakMiB ?? NaN)} MiB`);
    }
    oursPeakMiB = ours.memory()?.peakMiB ?? NaN;
    mockPeakMiB = mock.memory()?.peakMiB ?? NaN;
    stopped = true;
    await ours.stop();
    await mock.stop();
  } finally {
    if (!stopped) {
      await ours.stop().catch(() => undefined);
      await mock.stop().catch(() => undefined);
    }
  }

  const cases: CaseName[] = ['kafkajs produce', 'kafkajs consume', 'kcat produce', 'kcat consume'];
  const rows: Row[] = cases.flatMap((caseName) =>
    sides.map((side) => {
      const key = `${caseName}|${side.leg.label}`;
      return { caseName, leg: side.leg, workload: workloads.get(key) as string, samples: samples.get(key) as Sample[] };
    }),
  );
  const loadEnd = loadavg();

  console.log(`\n## broker benchmark: lakestream vs librdkafka mock (${QUICK ? 'quick, ' : ''}${fmt(TOTAL)} messages, best of ${RUNS} run${RUNS > 1 ? 's' : ''})\n`);
  printTable(rows);
  console.log('');
  console.log(`¹ ${OUR_PARTITIONS} partitions against the mock's ${MOCK_PARTITIONS} (and, for consume, one ${fmt(TOTAL)} topic against ${ROUNDS} of ${fmt(ROUND)}): informative, not like for like.`);
  console.log('');
  console.log(`- messages: key \`sensor-NNNN\` (1,024 keys, 11 B) + 150-byte value; MB/s = 10^6 key+value bytes/s; no compression`);
  console.log(`- kafkajs: a forked client process per run, ${fmt(WARMUP)}-message untimed warm-up, non-idempotent producer straight to each broker; consume = fresh group per topic, eachBatch, timed from the first batch to the last message (group joins not timed)`);
  console.log(`- consume input: the ${fmt(ROUND)}-message topics were written untimed by kcat in batches of up to 1 MB (${FILL_CONFIG.join(' ')}), since the mock returns only one stored batch per partition per Fetch; the 1M topics are what the produce cases wrote`);
  console.log(`- kcat: process wall time, startup (~10–20 ms) included; CPU columns are /proc user+sys of the broker process and of the client process during the timed part`);
  console.log(`- our broker: peak RSS (VmHWM) **${fmt(oursPeakMiB)} MiB** over the whole benchmark (${memoryAfter.join('; ')}); the mock's kcat process peaked at ${fmt(mockPeakMiB)} MiB`);
  console.log(`- node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), kcat with librdkafka ${kcatVersion}, data dir on ${tmpdir()}`);
  console.log(`- load average at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadEnd.map((x) => x.toFixed(2)).join(' ')} (shared machine)`);
  console.log('');

  const like = (caseName: CaseName) => rows.find((r) => r.caseName === caseName && r.leg.kind === 'ours' && r.leg.likeForLike) as Row;
  const wide = (caseName: CaseName) => rows.find((r) => r.caseName === caseName && r.leg.kind === 'ours' && !r.leg.likeForLike);
  const ratioText = (caseName: CaseName) => {
    const w = wide(caseName);
    const l = ratioToMock(rows, like(caseName)) ?? NaN;
    return `${caseName} ${fmt(l * 100)}%${w ? ` (${OUR_PARTITIONS} partitions: ${fmt((ratioToMock(rows, w) ?? NaN) * 100)}%)` : ''}`;
  };
  const kjsRatios = (['kafkajs produce', 'kafkajs consume'] as const).map((c) => ratioToMock(rows, like(c)) ?? 0);
  const kcatRows = rows.filter((r) => r.caseName === 'kcat produce' && r.leg.kind === 'ours');
  const kcatRates = kcatRows.map((r) => rate(best(r.samples)));
  const goals: Goal[] = [
    {
      text: 'kafkajs throughput against our broker ≥ 80% of the same against the mock (like for like)',
      pass: kjsRatios.every((r) => r >= 0.8),
      detail: `${ratioText('kafkajs produce')}, ${ratioText('kafkajs consume')}`,
    },
    {
      text: 'kcat produce into our broker ≥ 300k msgs/s',
      pass: kcatRates.every((r) => r >= 300_000),
      detail: kcatRows.map((r, i) => `${fmt(kcatRates[i] ?? NaN)} msgs/s (${r.leg.partitions} partitions)`).join(', '),
    },
  ];
  printGoals(goals);

  if (profileDir) {
    const files = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
    for (const file of files) {
      const p = summarizeProfile(join(profileDir, file));
      console.log(`\n### our broker's CPU profile (${fmt(p.seconds, 1)} s, ${fmt(p.busyPercent)}% busy; profiling slows it, so the table above is not comparable)\n`);
      console.log('| self time | function |\n|---:|---|');
      for (const h of p.functions) console.log(`| ${fmt(h.percent, 1)}% | ${h.name} |`);
      console.log('\n| self time | file |\n|---:|---|');
      for (const h of p.files) console.log(`| ${fmt(h.percent, 1)}% | ${h.name} |`);
    }
  }

  if (flag('--keep')) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
