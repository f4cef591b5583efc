/** The edge: flags and env in, one validated ProducerConfig out (node:util parseArgs + zod). */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './errors.js';

export const DEFAULT_BROKERS = 'localhost:9092';
export const DEFAULT_TOPICS = { satellite: 'sat-data', f1: 'f1-telemetry' } as const;
export const DEFAULT_SESSIONS_TOPIC = 'f1-sessions';

export const HELP = `lakestream-producer: publish simulated telemetry to Kafka (kafkajs, batched, idempotent)

Usage: lakestream-producer [--source satellite|f1] [options]
       npx nx run producer:serve -- --source f1 --max-events 1000

Source
  --source satellite|f1    satellite: every CSV in --samples-dir, read concurrently on worker
                           threads, key = satellite name; f1: the race simulator, key = car number
                           (default satellite)
  --samples-dir <dir>      satellite CSVs, sat<i>.csv (default data/samples; make them with
                           npx nx run sim:generate)
  --strict                 a bad CSV row is fatal (exit 1) instead of reported and skipped
  --cars <n>               f1: cars on track, 1..99 (default 50)
  --seed <n>               f1 simulator seed and satellite sleep jitter seed (default 88)
  --start-time <iso|now>   f1: session start (default now, so every run is a new session with
                           its own session_id; a fixed time replays the same events)
  --sessions-topic <name>  f1: the session context (F1Session as JSON, start_time_ns a decimal
                           string) is published there first, key = session_id, and acknowledged
                           before any event of the session; created with cleanup.policy=compact
                           if missing (default ${DEFAULT_SESSIONS_TOPIC})

Kafka
  --brokers <h:p,...>      bootstrap brokers (default: env KAFKA_BROKERS, else ${DEFAULT_BROKERS})
  --topic <name>           default sat-data (satellite) or f1-telemetry (f1)
  --compression <c>        none | gzip | snappy (default none)
  --linger-ms <ms>         how long a partial batch waits for more messages (default 10)
  --batch-size <n>         messages per produce batch (default 1000)
  --max-in-flight <n>      batches in flight at once, one ordered lane each (default 4)
  --no-idempotent          plain acks=all producer; only for servers that cannot serve
                           InitProducerId (e.g. librdkafka's bare mock cluster)
  --client-id <id>         Kafka client id (default lakestream-producer)
  --kafka-log-level <l>    kafkajs logs on stderr: nothing|error|warn|info|debug (default nothing)

Pacing and limits
  --sleep-min-ms <ms>      random sleep between events of one satellite (default 100) ...
  --sleep-max-ms <ms>      ... up to this (default 200); f1 runs in real time instead
  --no-sleep               no sleeps: as fast as possible (f1: simulator asap)
  --rate <events/s>        cap on the total event rate
  --max-events <n>         stop after n events
  --duration <s>           stop after this many seconds

Framing
  --framing on|off         off: one event per Kafka message (as the seeds); on: frames of many
                           events of one satellite / car per message (default off)
  --frame-size <n>         events per frame (default 100)
  --frame-max-ms <ms>      a frame is sent when this old even if not full (default 100)

Faults and reconciliation
  --inject-faults <rate>   0..1 (default 0): with this probability an event is replaced by one
                           fault, chosen from the --seed PRNG among corrupt (the message's bytes
                           do not decode), out_of_range (a value outside its declared range),
                           null_required (f1: car_number absent, decodes as 0), duplicate (the
                           event sent twice), unknown_session (f1: a session_id never published)
                           and late (event time a day in the past). Satellite: corrupt,
                           out_of_range, duplicate, late. With --framing on a fault hits one
                           event of a frame, except corrupt, which breaks the whole frame
                           message (every event in it is lost to bronze)
  --summary-json <file>    also write the summary as JSON: events, messages, faults by kind and
                           the expected bronze / silver / quarantine counts (see README)

  -h, --help               this help

SIGINT/SIGTERM stop reading, flush what is in flight, print the summary and exit 0.
Exit codes: 0 done, 1 failure (broker unreachable, --strict bad row, undelivered events), 2 usage.
`;

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const positive = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a positive number')
  .transform(Number)
  .pipe(z.number().positive());

const rate01 = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'expected a probability between 0 and 1')
  .transform(Number)
  .pipe(z.number().min(0).max(1));

const topicName = z.string().min(1).max(249).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only');

const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')).min(1, 'expected at least one host:port'));

const FlagsSchema = z
  .object({
    source: z.enum(['satellite', 'f1']).default('satellite'),
    brokers: brokerList,
    topic: topicName.optional(),
    'sessions-topic': topicName.default(DEFAULT_SESSIONS_TOPIC),
    'inject-faults': rate01.default(0),
    'summary-json': z.string().min(1).optional(),
    rate: positive.optional(),
    'max-events': int(1, Number.MAX_SAFE_INTEGER).optional(),
    duration: positive.optional(),
    'sleep-min-ms': int(0, 3_600_000).default(100),
    'sleep-max-ms': int(0, 3_600_000).default(200),
    sleep: z.boolean().default(true),
    framing: z.enum(['on', 'off']).default('off'),
    'frame-size': int(1, 100_000).default(100),
    'frame-max-ms': int(1, 60_000).default(100),
    compression: z.enum(['none', 'gzip', 'snappy']).default('none'),
    'linger-ms': int(0, 60_000).default(10),
    'batch-size': int(1, 1_000_000).default(1_000),
    'max-in-flight': int(1, 64).default(4),
    idempotent: z.boolean().default(true),
    'client-id': z.string().min(1).default('lakestream-producer'),
    'kafka-log-level': z.enum(['nothing', 'error', 'warn', 'info', 'debug']).default('nothing'),
    'samples-dir': z.string().min(1).default('data/samples'),
    strict: z.boolean().default(false),
    cars: int(1, 99).default(50),
    seed: int(0, 2 ** 32 - 1).default(88),
    'start-time': z
      .string()
      .refine((v) => v === 'now' || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), 'expected an ISO-8601 time such as 2026-03-08T15:00:00Z, or now')
      .default('now'),
  })
  .refine((f) => f['sleep-min-ms'] <= f['sleep-max-ms'], { path: ['sleep-min-ms'], message: 'must not exceed --sleep-max-ms' })
  .refine((f) => f.source !== 'f1' || (f.topic ?? DEFAULT_TOPICS.f1) !== f['sessions-topic'], { path: ['sessions-topic'], message: 'must differ from the events topic' });

export type Source = 'satellite' | 'f1';

export interface ProducerConfig {
  readonly source: Source;
  readonly brokers: readonly string[];
  readonly topic: string;
  /** f1: where the session context goes before the events. */
  readonly sessionsTopic: string;
  /** Probability in [0, 1] that an event is replaced by a fault. */
  readonly faultRate: number;
  /** Where to write the JSON summary; undefined = nowhere. */
  readonly summaryJson: string | undefined;
  readonly clientId: string;
  readonly compression: 'none' | 'gzip' | 'snappy';
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly idempotent: boolean;
  readonly kafkaLogLevel: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Events per second over all sources; undefined = no cap. */
  readonly rate: number | undefined;
  readonly maxEvents: number | undefined;
  readonly durationMs: number | undefined;
  /** Per-satellite random sleep range; undefined with --no-sleep. */
  readonly sleep: { readonly minMs: number; readonly maxMs: number } | undefined;
  readonly framing: { readonly frameSize: number; readonly maxAgeMs: number } | undefined;
  readonly samplesDir: string;
  readonly strict: boolean;
  readonly cars: number;
  readonly seed: number;
  /** f1 session start in ns since the epoch; undefined = now, taken when the run starts. */
  readonly startTimeNs: bigint | undefined;
}

export type CliResult = { readonly help: true } | { readonly help: false; readonly config: ProducerConfig };

/** Parses argv and env; throws UsageError naming the flag. */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        source: { type: 'string' },
        brokers: { type: 'string' },
        topic: { type: 'string' },
        'sessions-topic': { type: 'string' },
        'inject-faults': { type: 'string' },
        'summary-json': { type: 'string' },
        rate: { type: 'string' },
        'max-events': { type: 'string' },
        duration: { type: 'string' },
        'sleep-min-ms': { type: 'string' },
        'sleep-max-ms': { type: 'string' },
        sleep: { type: 'boolean' },
        framing: { type: 'string' },
        'frame-size': { type: 'string' },
        'frame-max-ms': { type: 'string' },
        compression: { type: 'string' },
        'linger-ms': { type: 'string' },
        'batch-size': { type: 'string' },
        'max-in-flight': { type: 'string' },
        idempotent: { type: 'boolean' },
        'client-id': { type: 'string' },
        'kafka-log-level': { type: 'string' },
        'samples-dir': { type: 'string' },
        strict: { type: 'boolean' },
        cars: { type: 'string' },
        seed: { type: 'string' },
        'start-time': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['help']) return { help: true };
  const { help: _help, ...flags } = values;
  const brokersFrom = flags['brokers'] !== undefined ? '--brokers' : env['KAFKA_BROKERS'] ? 'KAFKA_BROKERS' : 'default';
  const parsed = FlagsSchema.safeParse({ ...flags, brokers: flags['brokers'] ?? (env['KAFKA_BROKERS'] || DEFAULT_BROKERS) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'arguments');
    const where = name === 'brokers' && brokersFrom === 'KAFKA_BROKERS' ? 'KAFKA_BROKERS' : `--${name}`;
    const given = name === 'brokers' ? (flags['brokers'] ?? env['KAFKA_BROKERS']) : flags[name];
    throw new UsageError(`${where}: ${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got '${String(given)}')`}`);
  }
  const f = parsed.data;
  return {
    help: false,
    config: {
      source: f.source,
      brokers: f.brokers,
      topic: f.topic ?? DEFAULT_TOPICS[f.source],
      sessionsTopic: f['sessions-topic'],
      faultRate: f['inject-faults'],
      summaryJson: f['summary-json'],
      clientId: f['client-id'],
      compression: f.compression,
      lingerMs: f['linger-ms'],
      batchSize: f['batch-size'],
      maxInFlight: f['max-in-flight'],
      idempotent: f.idempotent,
      kafkaLogLevel: f['kafka-log-level'],
      rate: f.rate,
      maxEvents: f['max-events'],
      durationMs: f.duration === undefined ? undefined : Math.round(f.duration * 1000),
      sleep: f.sleep ? { minMs: f['sleep-min-ms'], maxMs: f['sleep-max-ms'] } : undefined,
      framing: f.framing === 'on' ? { frameSize: f['frame-size'], maxAgeMs: f['frame-max-ms'] } : undefined,
      samplesDir: f['samples-dir'],
      strict: f.strict,
      cars: f.cars,
      seed: f.seed,
      startTimeNs: f['start-time'] === 'now' ? undefined : BigInt(Date.parse(f['start-time'])) * 1_000_000n,
    },
  };
}
