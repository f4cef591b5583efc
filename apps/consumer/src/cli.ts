/**
 * The edge: argv and env in, one validated command out (node:util parseArgs + zod).
 * Every flag is also an env var (`LAKESTREAM_<FLAG>`, brokers: `KAFKA_BROKERS`);
 * a flag wins over its env var. Errors name the flag, or the env var the bad value came from.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { formatDuration, parseDuration, parseSize } from './units.js';

export const DEFAULT_BROKERS = 'localhost:9092';
export const DEFAULT_TOPICS = {
  satellite: 'sat-data',
  f1: 'f1-telemetry',
  sessions: 'f1-sessions',
  dlq: 'telemetry-dlq',
  enriched: 'f1-telemetry-enriched',
} as const;
export const DEFAULT_DOCS_OUT = 'data/reports/data-docs.html';

export const HELP = `lakestream-consumer: exactly-once micro-batches from Kafka into bronze, silver and quarantine Delta tables

Usage: lakestream-consumer [run] [options]          stream (the default command)
       lakestream-consumer docs [--tables <dir>] [--out <file>]
       lakestream-consumer optimize [--tables <dir>] [--source sat|f1|all]
       npx nx run consumer:serve -- --source f1 --once

Every flag is also an env var (shown on the right); a flag wins over its env var.
Booleans in env: 1/true/yes or 0/false/no.

Run
  --source sat|f1|all          topics to read: sat-data, f1-telemetry (+ f1-sessions)   LAKESTREAM_SOURCE
                               (default all)
  --brokers <h:p,...>          bootstrap brokers (default ${DEFAULT_BROKERS})                 KAFKA_BROKERS
  --group <id>                 consumer group and Delta txn app id                      LAKESTREAM_GROUP
                               (default lakestream-consumer)
  --tables <dir>               Delta root (default data/delta-tables)                   LAKESTREAM_TABLES
  --trigger <dur>              micro-batch interval: 500ms, 5s, 1m (default 5s)         LAKESTREAM_TRIGGER
  --max-offsets-per-trigger <n>  records per batch, all partitions (default 10000)      LAKESTREAM_MAX_OFFSETS_PER_TRIGGER
  --max-bytes-per-trigger <size> key+value bytes per batch: 16MiB, 1GB (default 4MiB)   LAKESTREAM_MAX_BYTES_PER_TRIGGER
  --once                       process what is available at start, then exit 0          LAKESTREAM_ONCE
  --session-timeout <dur>      consumer group session timeout: how soon a dead member's   LAKESTREAM_SESSION_TIMEOUT
                               partitions move to the others (default 30s, 6s..5m)
  --idle-timeout <dur>         stop (exit 0) once every partition is caught up and      LAKESTREAM_IDLE_TIMEOUT
                               nothing new arrived for this long (default: never)
  --summary-json <file>        also write the end-of-run summary as JSON                LAKESTREAM_SUMMARY_JSON
  --starting-offsets earliest|latest                                                    LAKESTREAM_STARTING_OFFSETS
                               where a new app id starts (default earliest); an app id
                               with offsets in the Delta log always resumes from them
  --optimize-every <n>         compact bronze and silver every n batches; 0 = never     LAKESTREAM_OPTIMIZE_EVERY
                               (default 100)
  --metrics-port <port>        Prometheus /metrics and /healthz; 0 = any free port      LAKESTREAM_METRICS_PORT
                               (default 9464)
  --dedup-window <dur>         how far back silver dedup remembers keys (default 6h)    LAKESTREAM_DEDUP_WINDOW
  --dedup-max-keys <n>         and at most this many keys, ~250 B each (default 500000)  LAKESTREAM_DEDUP_MAX_KEYS
  --session-wait <dur>         how long an F1 event waits for its session context       LAKESTREAM_SESSION_WAIT
                               before UNKNOWN_SESSION quarantine (default 10s)
  --dlq-topic <name>           dead letters, reason in headers (default ${DEFAULT_TOPICS.dlq})   LAKESTREAM_DLQ_TOPIC
  --enriched-topic <name>      silver F1 re-stream (default ${DEFAULT_TOPICS.enriched})   LAKESTREAM_ENRICHED_TOPIC
  --no-restream                do not publish silver F1 rows                            LAKESTREAM_RESTREAM=false
  --docs                       regenerate the Data Docs page at exit                    LAKESTREAM_DOCS
  --docs-out <file>            where (default ${DEFAULT_DOCS_OUT})           LAKESTREAM_DOCS_OUT
  --sat-topic <name>           satellite topic (default ${DEFAULT_TOPICS.satellite})                   LAKESTREAM_SAT_TOPIC
  --f1-topic <name>            F1 topic (default ${DEFAULT_TOPICS.f1})                         LAKESTREAM_F1_TOPIC
  --sessions-topic <name>      F1 session context, compacted (default ${DEFAULT_TOPICS.sessions})   LAKESTREAM_SESSIONS_TOPIC
  --kafka-log-level <l>        kafkajs logs on stderr: nothing|error|warn|info|debug    LAKESTREAM_KAFKA_LOG_LEVEL
                               (default nothing)

docs      render quality/validation_results as one HTML page
  --tables <dir>               Delta root (default data/delta-tables)                   LAKESTREAM_TABLES
  --out <file>                 (default ${DEFAULT_DOCS_OUT})                    LAKESTREAM_DOCS_OUT

optimize  compact the small files of bronze and silver, then exit
  --tables <dir>               Delta root (default data/delta-tables)                   LAKESTREAM_TABLES
  --source sat|f1|all          whose tables (default all)                               LAKESTREAM_SOURCE

  -h, --help                   this help

SIGINT/SIGTERM finish the batch in flight, commit, leave the group, print the summary;
a second signal abandons the batch (it is replayed on the next start, never half-written).
Exit codes: 0 done, 1 failure, 2 usage.
`;

export type Source = 'satellite' | 'f1';
export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface ConsumerConfig {
  /** From --source: sat → ['satellite'], f1 → ['f1'], all → ['satellite', 'f1']. */
  readonly sources: readonly Source[];
  readonly brokers: readonly string[];
  /** --group: the Kafka consumer group and the Delta txn app id (`<appId>-<topic>-<partition>`). */
  readonly appId: string;
  /** --tables: the Delta root; tables live at `<tablesDir>/<TableSpec.path>`. */
  readonly tablesDir: string;
  readonly topics: {
    readonly satellite: string;
    readonly f1: string;
    readonly sessions: string;
    readonly dlq: string;
    /** undefined with --no-restream. */
    readonly enriched: string | undefined;
  };
  readonly triggerMs: number;
  readonly maxOffsetsPerTrigger: number;
  readonly maxBytesPerTrigger: number;
  readonly once: boolean;
  /** --idle-timeout: stop once caught up and idle this long (undefined: never). */
  readonly idleTimeoutMs: number | undefined;
  /** --session-timeout: the consumer group session timeout. */
  readonly sessionTimeoutMs: number;
  /** --summary-json: where to write the summary as JSON. */
  readonly summaryJson: string | undefined;
  readonly startingOffsets: 'earliest' | 'latest';
  /** Compact bronze and silver every n batches; 0 = never. */
  readonly optimizeEvery: number;
  /** 0 = an ephemeral port (the server reports the bound one). */
  readonly metricsPort: number;
  readonly dedupWindowMs: number;
  /** Keys the dedup index holds at most per source (the oldest go first); also bounds the rebuild from silver. */
  readonly dedupMaxKeys: number;
  readonly sessionWaitMs: number;
  /** Regenerate Data Docs at exit: the output file, or undefined without --docs. */
  readonly docsOut: string | undefined;
  readonly kafkaLogLevel: KafkaLogLevel;
}

export interface DocsConfig {
  readonly tablesDir: string;
  readonly out: string;
}

export interface OptimizeConfig {
  readonly tablesDir: string;
  readonly sources: readonly Source[];
}

export type CliResult =
  | { readonly command: 'help' }
  | { readonly command: 'run'; readonly config: ConsumerConfig }
  | { readonly command: 'docs'; readonly config: DocsConfig }
  | { readonly command: 'optimize'; readonly config: OptimizeConfig };

type Env = Readonly<Record<string, string | undefined>>;
type FlagSpec = { readonly type: 'string' | 'boolean' };

const RUN_FLAGS = {
  source: { type: 'string' },
  brokers: { type: 'string' },
  group: { type: 'string' },
  tables: { type: 'string' },
  trigger: { type: 'string' },
  'max-offsets-per-trigger': { type: 'string' },
  'max-bytes-per-trigger': { type: 'string' },
  once: { type: 'boolean' },
  'idle-timeout': { type: 'string' },
  'session-timeout': { type: 'string' },
  'summary-json': { type: 'string' },
  'starting-offsets': { type: 'string' },
  'optimize-every': { type: 'string' },
  'metrics-port': { type: 'string' },
  'dedup-window': { type: 'string' },
  'dedup-max-keys': { type: 'string' },
  'session-wait': { type: 'string' },
  'dlq-topic': { type: 'string' },
  'enriched-topic': { type: 'string' },
  restream: { type: 'boolean' },
  docs: { type: 'boolean' },
  'docs-out': { type: 'string' },
  'sat-topic': { type: 'string' },
  'f1-topic': { type: 'string' },
  'sessions-topic': { type: 'string' },
  'kafka-log-level': { type: 'string' },
} as const satisfies Record<string, FlagSpec>;

const DOCS_FLAGS = { tables: { type: 'string' }, out: { type: 'string' } } as const satisfies Record<string, FlagSpec>;
const OPTIMIZE_FLAGS = { tables: { type: 'string' }, source: { type: 'string' } } as const satisfies Record<string, FlagSpec>;

/** The env var that stands in for a flag. */
export function envName(command: 'run' | 'docs' | 'optimize', flag: string): string {
  if (flag === 'brokers') return 'KAFKA_BROKERS';
  if (command === 'docs' && flag === 'out') return 'LAKESTREAM_DOCS_OUT';
  return `LAKESTREAM_${flag.toUpperCase().replace(/-/g, '_')}`;
}

const int = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const duration = (minMs: number, maxMs: number) =>
  z
    .string()
    .transform((s, ctx) => {
      const ms = parseDuration(s);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 500ms, 5s, 1m, 6h' });
        return z.NEVER;
      }
      return ms;
    })
    .pipe(z.number().min(minMs, `must be at least ${formatDuration(minMs)}`).max(maxMs, `must be at most ${formatDuration(maxMs)}`));

const size = z
  .string()
  .transform((s, ctx) => {
    const bytes = parseSize(s);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a size such as 64MiB, 1GB or 1048576' });
      return z.NEVER;
    }
    return bytes;
  })
  .pipe(z.number().min(1024, 'must be at least 1KiB'));

const topic = z.string().min(1).max(249).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only');
const dir = z.string().min(1, 'must not be empty');
const sourceSel = z.enum(['sat', 'f1', 'all']).default('all');

const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')).min(1, 'expected at least one host:port'));

const RunSchema = z.object({
  source: sourceSel,
  brokers: brokerList.default([DEFAULT_BROKERS]),
  group: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only').default('lakestream-consumer'),
  tables: dir.default('data/delta-tables'),
  trigger: duration(0, 3_600_000).default(5_000),
  'max-offsets-per-trigger': int(1, 100_000_000).default(10_000),
  'max-bytes-per-trigger': size.default(4 * 2 ** 20),
  once: z.boolean().default(false),
  'idle-timeout': duration(1, 86_400_000).optional(),
  'session-timeout': duration(6_000, 300_000).default(30_000),
  'summary-json': dir.optional(),
  'starting-offsets': z.enum(['earliest', 'latest']).default('earliest'),
  'optimize-every': int(0, 1_000_000).default(100),
  'metrics-port': int(0, 65_535).default(9464),
  'dedup-window': duration(0, 30 * 86_400_000).default(6 * 3_600_000),
  'dedup-max-keys': int(1, 100_000_000).default(500_000),
  'session-wait': duration(0, 3_600_000).default(10_000),
  'dlq-topic': topic.default(DEFAULT_TOPICS.dlq),
  'enriched-topic': topic.default(DEFAULT_TOPICS.enriched),
  restream: z.boolean().default(true),
  docs: z.boolean().default(false),
  'docs-out': dir.default(DEFAULT_DOCS_OUT),
  'sat-topic': topic.default(DEFAULT_TOPICS.satellite),
  'f1-topic': topic.default(DEFAULT_TOPICS.f1),
  'sessions-topic': topic.default(DEFAULT_TOPICS.sessions),
  'kafka-log-level': z.enum(['nothing', 'error', 'warn', 'info', 'debug']).default('nothing'),
});

const DocsSchema = z.object({ tables: dir.default('data/delta-tables'), out: dir.default(DEFAULT_DOCS_OUT) });
const OptimizeSchema = z.object({ tables: dir.default('data/delta-tables'), source: sourceSel });

const SOURCES = { sat: ['satellite'], f1: ['f1'], all: ['satellite', 'f1'] } as const satisfies Record<string, readonly Source[]>;

/** Parses argv (without node and script) and env; throws UsageError naming the flag or env var. */
export function parseCli(argv: readonly string[], env: Env): CliResult {
  const first = argv[0];
  const command = first === 'run' || first === 'docs' || first === 'optimize' ? first : 'run';
  const args = first === command ? argv.slice(1) : argv;
  if (first !== undefined && !first.startsWith('-') && first !== command) {
    throw new UsageError(`unknown command '${first}' (expected run, docs or optimize)`);
  }
  const specs = command === 'run' ? RUN_FLAGS : command === 'docs' ? DOCS_FLAGS : OPTIMIZE_FLAGS;
  const merged = mergeFlags(command, specs, args, env);
  if (merged === 'help') return { command: 'help' };
  const { values, origin } = merged;
  if (command === 'docs') {
    const d = check(DocsSchema, values, origin);
    return { command, config: { tablesDir: d.tables, out: d.out } };
  }
  if (command === 'optimize') {
    const o = check(OptimizeSchema, values, origin);
    return { command, config: { tablesDir: o.tables, sources: SOURCES[o.source] } };
  }
  const f = check(RunSchema, values, origin);
  return {
    command,
    config: {
      sources: SOURCES[f.source],
      brokers: f.brokers,
      appId: f.group,
      tablesDir: f.tables,
      topics: {
        satellite: f['sat-topic'],
        f1: f['f1-topic'],
        sessions: f['sessions-topic'],
        dlq: f['dlq-topic'],
        enriched: f.restream ? f['enriched-topic'] : undefined,
      },
      triggerMs: f.trigger,
      maxOffsetsPerTrigger: f['max-offsets-per-trigger'],
      maxBytesPerTrigger: f['max-bytes-per-trigger'],
      once: f.once,
      idleTimeoutMs: f['idle-timeout'],
      sessionTimeoutMs: f['session-timeout'],
      summaryJson: f['summary-json'],
      startingOffsets: f['starting-offsets'],
      optimizeEvery: f['optimize-every'],
      metricsPort: f['metrics-port'],
      dedupWindowMs: f['dedup-window'],
      dedupMaxKeys: f['dedup-max-keys'],
      sessionWaitMs: f['session-wait'],
      docsOut: f.docs ? f['docs-out'] : undefined,
      kafkaLogLevel: f['kafka-log-level'],
    },
  };
}

type Values = Record<string, string | boolean>;

/** argv over env, per flag; remembers where each value came from (`--flag` or `ENV_NAME`) for error messages. */
function mergeFlags(
  command: 'run' | 'docs' | 'optimize',
  specs: Readonly<Record<string, FlagSpec>>,
  args: readonly string[],
  env: Env,
): 'help' | { values: Values; origin: Record<string, string> } {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: { help: { type: 'boolean', short: 'h' }, ...specs },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed['help']) return 'help';
  const values: Values = {};
  const origin: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const given = parsed[flag];
    if (given !== undefined) {
      values[flag] = given;
      origin[flag] = `--${flag}`;
      continue;
    }
    const name = envName(command, flag);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    values[flag] = spec.type === 'boolean' ? envBoolean(name, raw) : raw;
    origin[flag] = name;
  }
  return { values, origin };
}

function envBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  throw new UsageError(`${name}: expected 1/true/yes or 0/false/no (got '${raw}')`);
}

function check<T extends z.ZodType>(schema: T, values: Values, origin: Record<string, string>): z.output<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = String(issue?.path[0] ?? 'arguments');
  const given = values[flag];
  throw new UsageError(`${origin[flag] ?? `--${flag}`}: ${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got '${String(given)}')`}`);
}
