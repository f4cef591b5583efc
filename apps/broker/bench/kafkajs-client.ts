/**
 * The kafkajs side of the benchmark, run in its own process (forked by
 * runners.ts) so client CPU and GC never share a process with a broker or
 * with the orchestrating script.
 *
 * Protocol over IPC: the job comes as argv[2] (JSON). The client connects and
 * warms up (untimed), sends `ready`, then runs one timed step per `step`
 * message from the parent and answers each with `done` and its result; it
 * exits on `exit`. A produce job has one step (send all messages); a consume
 * job has one step per topic, so the parent can interleave the two brokers'
 * rounds and let background load hit both alike. The parent reads the
 * broker's CPU around each step.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { messageBatches, type Message } from './workload.js';

export interface ProduceJob {
  readonly kind: 'produce';
  readonly bootstrap: string;
  readonly topic: string;
  readonly count: number;
  readonly warmupTopic: string;
  readonly warmupCount: number;
  /** Messages per producer.send() call. */
  readonly batchSize: number;
  /** send() calls in flight at once. */
  readonly inFlight: number;
  readonly acks: -1 | 1;
}

export interface TopicCount {
  readonly topic: string;
  readonly count: number;
}

export interface ConsumeJob {
  readonly kind: 'consume';
  readonly bootstrap: string;
  /** Read (untimed) first, to warm up the client and the broker's fetch path. */
  readonly warmup: readonly TopicCount[];
  readonly groupPrefix: string;
}

export type ClientJob = ProduceJob | ConsumeJob;

/** Parent → client. A consume step names the topic a fresh group reads from the beginning. */
export type ClientStep = { readonly type: 'step'; readonly topic?: TopicCount } | { readonly type: 'exit' };

export interface ClientResult {
  readonly messages: number;
  /** Key + value bytes acknowledged (produce) or received (consume). */
  readonly payloadBytes: number;
  /** Produce: first send() to last ack. Consume: first batch delivered to last message delivered (group join not included). */
  readonly seconds: number;
  readonly clientCpuSeconds: number;
}

export type ClientMessage = { readonly type: 'ready' } | { readonly type: 'done'; readonly result: ClientResult } | { readonly type: 'failed'; readonly error: string };

function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'lakestream-bench', brokers: [bootstrap], logLevel: logLevel.ERROR, retry: { retries: 5, initialRetryTime: 100 } });
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Sends every batch, `job.inFlight` send() calls at a time. */
async function sendBatches(producer: Producer, job: ProduceJob, topic: string, batches: readonly Message[][]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const messages = batches[next++] as Message[];
      await producer.send({ topic, messages, acks: job.acks, compression: CompressionTypes.None });
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
}

interface Session {
  step(topic: TopicCount | undefined): Promise<ClientResult>;
  close(): Promise<void>;
}

async function producer(job: ProduceJob): Promise<Session> {
  const p = kafkaFor(job.bootstrap).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: false, allowAutoTopicCreation: false });
  await p.connect();
  if (job.warmupCount > 0) await sendBatches(p, job, job.warmupTopic, messageBatches(0, job.warmupCount, job.batchSize));
  // Built before timing: the timed part is kafkajs encoding, the network and the broker.
  const batches = messageBatches(0, job.count, job.batchSize);
  const payloadBytes = batches.reduce((sum, b) => sum + b.reduce((s, m) => s + m.key.length + m.value.length, 0), 0);
  return {
    async step() {
      const cpu0 = cpuNow();
      const t0 = performance.now();
      await sendBatches(p, job, job.topic, batches);
      return { messages: job.count, payloadBytes, seconds: (performance.now() - t0) / 1000, clientCpuSeconds: cpuNow() - cpu0 };
    },
    close: () => p.disconnect(),
  };
}

/** One fresh group reads `topic` from the beginning until `count` messages have arrived. */
async function readTopic(kafka: Kafka, groupId: string, { topic, count }: TopicCount): Promise<ClientResult> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<ClientResult>((resolve, reject) => {
      let seen = 0;
      let bytes = 0;
      let t0 = 0;
      let cpu0 = 0;
      consumer.on(consumer.events.CRASH, (e) => reject(new Error(`consumer crashed: ${String(e.payload.error)}`)));
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            if (seen === 0 && batch.messages.length > 0) {
              t0 = performance.now();
              cpu0 = cpuNow();
            }
            for (const m of batch.messages) bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
            seen += batch.messages.length;
            if (seen === count) resolve({ messages: count, payloadBytes: bytes, seconds: (performance.now() - t0) / 1000, clientCpuSeconds: cpuNow() - cpu0 });
            if (seen > count) reject(new Error(`${topic}: read ${seen} messages, expected ${count}`));
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function consumer(job: ConsumeJob): Promise<Session> {
  const kafka = kafkaFor(job.bootstrap);
  for (const w of job.warmup) await readTopic(kafka, `${job.groupPrefix}-warmup-${w.topic}`, w);
  return {
    step(topic) {
      if (!topic) return Promise.reject(new Error('a consume step needs a topic'));
      return readTopic(kafka, `${job.groupPrefix}-${topic.topic}`, topic);
    },
    close: async () => undefined,
  };
}

function send(message: ClientMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ClientJob;
  const steps: ClientStep[] = [];
  let wake: (() => void) | undefined;
  process.on('message', (m: ClientStep) => {
    steps.push(m);
    wake?.();
  });
  const nextStep = async (): Promise<ClientStep> => {
    while (steps.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return steps.shift() as ClientStep;
  };
  const session = job.kind === 'produce' ? await producer(job) : await consumer(job);
  send({ type: 'ready' });
  try {
    for (let step = await nextStep(); step.type === 'step'; step = await nextStep()) send({ type: 'done', result: await session.step(step.topic) });
  } finally {
    await session.close();
  }
}

if (process.send) {
  main().then(
    () => process.disconnect(),
    (error: unknown) => {
      send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exitCode = 1;
      process.disconnect();
    },
  );
}
