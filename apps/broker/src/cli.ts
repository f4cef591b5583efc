/** The edge: flags in, one validated BrokerOptions out (node:util parseArgs + zod). */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MESSAGE_MAX_BYTES,
  DEFAULT_PARTITIONS,
  DEFAULT_PORT,
  type BrokerOptions,
  type FlushPolicy,
} from '@lakestream/broker';
import { UsageError } from './errors.js';

export const DEFAULT_DIR = 'data/broker';

export const HELP = `lakestream-broker: the embedded single-node Kafka-protocol broker (kafkajs, librdkafka/kcat, any Kafka client)

Usage: lakestream-broker [options]
       npx nx run broker:serve -- --port 9092 --dir data/broker

Network
  --host <addr>              interface to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for all)
  --port <n>                 TCP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --advertised-host <host>   host clients are told to connect to (default --host, or
                             127.0.0.1 when listening on all interfaces)
  --max-request-bytes <n>    socket.request.max.bytes: larger requests close the connection
                             (default ${DEFAULT_MAX_REQUEST_BYTES})
  --message-max-bytes <n>    message.max.bytes: the largest record batch a producer may send,
                             after compression; larger ones get MESSAGE_TOO_LARGE, as on
                             Apache Kafka (default ${DEFAULT_MESSAGE_MAX_BYTES})

Storage
  --dir <path>               data directory: topics, committed offsets (default ${DEFAULT_DIR})
  --partitions <n>           partitions of auto-created topics (num.partitions; default ${DEFAULT_PARTITIONS})
  --no-auto-create-topics    refuse unknown topics instead of creating them on produce/metadata
  --retention-ms <ms>        delete segments older than this; -1 keeps forever (default 7 days)
  --retention-bytes <n>      per partition, delete old segments beyond this; -1 unlimited (default)
  --segment-bytes <n>        roll segment files at this size (default 64 MiB)
  --flush always|<ms>        fsync every append before acknowledging it, or every <ms> (default 1000);
                             a process crash never loses acknowledged data, a power cut may
                             lose the last <ms>

  -h, --help                 this help

Prints one line when listening, then one line per client connection and error on stderr.
SIGINT/SIGTERM: stop accepting, finish in-flight requests, flush, exit 0.
Exit codes: 0 stopped cleanly, 1 failure (e.g. port in use), 2 usage.
To use Apache Kafka instead, point the clients at it (producer: --brokers / KAFKA_BROKERS).
`;

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const flush = z
  .string()
  .regex(/^(always|\d+)$/, "expected 'always' or a number of milliseconds")
  .transform((s): FlushPolicy => (s === 'always' ? 'always' : { ms: Number(s) }));

const FlagsSchema = z.object({
  host: z.string().min(1).default(DEFAULT_HOST),
  port: int(0, 65535).default(DEFAULT_PORT),
  'advertised-host': z.string().min(1).optional(),
  'max-request-bytes': int(1024, 0x7fffffff).default(DEFAULT_MAX_REQUEST_BYTES),
  'message-max-bytes': int(0, 0x7fffffff).default(DEFAULT_MESSAGE_MAX_BYTES),
  dir: z.string().min(1).default(DEFAULT_DIR),
  partitions: int(1, 10_000).default(DEFAULT_PARTITIONS),
  'auto-create-topics': z.boolean().default(true),
  'retention-ms': int(-1, Number.MAX_SAFE_INTEGER).optional(),
  'retention-bytes': int(-1, Number.MAX_SAFE_INTEGER).optional(),
  'segment-bytes': int(1024, 1024 * 1024 * 1024).optional(),
  flush: flush.optional(),
});

/** parseArgs reads `--retention-ms -1` as two flags; `-1` is a value here (retention's "unlimited"). */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export type BrokerCliOptions = Omit<BrokerOptions, 'logger'>;

export type CliResult = { readonly help: true } | { readonly help: false; readonly options: BrokerCliOptions };

/** Parses argv; throws UsageError naming the flag. */
export function parseCli(argv: readonly string[]): CliResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        host: { type: 'string' },
        port: { type: 'string' },
        'advertised-host': { type: 'string' },
        'max-request-bytes': { type: 'string' },
        'message-max-bytes': { type: 'string' },
        dir: { type: 'string' },
        partitions: { type: 'string' },
        'auto-create-topics': { type: 'boolean' },
        'retention-ms': { type: 'string' },
        'retention-bytes': { type: 'string' },
        'segment-bytes': { type: 'string' },
        flush: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['help']) return { help: true };
  const { help: _help, ...flags } = values;
  const parsed = FlagsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'arguments');
    const given = flags[name];
    throw new UsageError(`--${name}: ${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got '${String(given)}')`}`);
  }
  const f = parsed.data;
  const log = {
    ...(f['retention-ms'] !== undefined ? { retentionMs: f['retention-ms'] } : {}),
    ...(f['retention-bytes'] !== undefined ? { retentionBytes: f['retention-bytes'] } : {}),
    ...(f['segment-bytes'] !== undefined ? { segmentBytes: f['segment-bytes'] } : {}),
    ...(f.flush !== undefined ? { flush: f.flush } : {}),
  };
  return {
    help: false,
    options: {
      host: f.host,
      port: f.port,
      ...(f['advertised-host'] !== undefined ? { advertisedHost: f['advertised-host'] } : {}),
      maxRequestBytes: f['max-request-bytes'],
      messageMaxBytes: f['message-max-bytes'],
      dir: f.dir,
      defaultPartitions: f.partitions,
      autoCreateTopics: f['auto-create-topics'],
      log,
    },
  };
}
