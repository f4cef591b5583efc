import { describe, expect, it } from 'vitest';
import { envName, HELP, parseCli, type CliResult, type ConsumerConfig } from './cli.js';
import { UsageError } from './errors.js';

type Env = Record<string, string>;

function runConfig(argv: string[], env: Env = {}): ConsumerConfig {
  const result = parseCli(argv, env);
  if (result.command !== 'run') throw new Error(`expected the run command, got ${result.command}`);
  return result.config;
}

function usage(argv: string[], env: Env = {}): UsageError {
  try {
    parseCli(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseCli: run', () => {
  it('defaults: both sources, localhost:9092, 5 s trigger, 10,000 offsets and 16 MiB per batch, port 9464', () => {
    expect(runConfig([])).toEqual({
      sources: ['satellite', 'f1'],
      brokers: ['localhost:9092'],
      appId: 'lakestream-consumer',
      tablesDir: 'data/delta-tables',
      topics: { satellite: 'sat-data', f1: 'f1-telemetry', sessions: 'f1-sessions', dlq: 'telemetry-dlq', enriched: 'f1-telemetry-enriched' },
      triggerMs: 5_000,
      maxOffsetsPerTrigger: 10_000,
      maxBytesPerTrigger: 4 * 1024 * 1024,
      once: false,
      idleTimeoutMs: undefined,
      summaryJson: undefined,
      sessionTimeoutMs: 30_000,
      startingOffsets: 'earliest',
      optimizeEvery: 100,
      metricsPort: 9464,
      dedupWindowMs: 6 * 3_600_000,
      dedupMaxKeys: 500_000,
      sessionWaitMs: 10_000,
      docsOut: undefined,
      kafkaLogLevel: 'nothing',
    } satisfies ConsumerConfig);
    expect(runConfig(['run'])).toEqual(runConfig([]));
  });

  it('maps every flag', () => {
    const c = runConfig([
      '--source', 'f1', '--brokers', 'k1:9092, k2:9093', '--group', 'app-7', '--tables', '/tmp/t', '--trigger', '500ms',
      '--max-offsets-per-trigger', '250', '--max-bytes-per-trigger', '1MiB', '--once', '--starting-offsets', 'latest',
      '--optimize-every', '0', '--metrics-port', '0', '--dedup-window', '1.5h', '--dedup-max-keys', '1000', '--session-wait', '2s', '--dlq-topic', 'dlq2',
      '--enriched-topic', 'enr2', '--docs', '--docs-out', 'out/d.html', '--sat-topic', 's2', '--f1-topic', 'f2',
      '--sessions-topic', 'sess2', '--kafka-log-level', 'warn', '--idle-timeout', '20s', '--summary-json', 's.json',
      '--session-timeout', '12s',
    ]);
    expect(c).toEqual({
      sources: ['f1'],
      brokers: ['k1:9092', 'k2:9093'],
      appId: 'app-7',
      tablesDir: '/tmp/t',
      topics: { satellite: 's2', f1: 'f2', sessions: 'sess2', dlq: 'dlq2', enriched: 'enr2' },
      triggerMs: 500,
      maxOffsetsPerTrigger: 250,
      maxBytesPerTrigger: 1024 * 1024,
      once: true,
      idleTimeoutMs: 20_000,
      summaryJson: 's.json',
      sessionTimeoutMs: 12_000,
      startingOffsets: 'latest',
      optimizeEvery: 0,
      metricsPort: 0,
      dedupWindowMs: 5_400_000,
      dedupMaxKeys: 1_000,
      sessionWaitMs: 2_000,
      docsOut: 'out/d.html',
      kafkaLogLevel: 'warn',
    } satisfies ConsumerConfig);
    expect(runConfig(['--source=sat']).sources).toEqual(['satellite']);
    expect(runConfig(['--no-restream']).topics.enriched).toBeUndefined();
    expect(runConfig(['--docs']).docsOut).toBe('data/reports/data-docs.html');
    expect(runConfig(['--trigger', '1m', '--max-bytes-per-trigger', '1GB']).triggerMs).toBe(60_000);
    expect(runConfig(['--max-bytes-per-trigger', '1048576']).maxBytesPerTrigger).toBe(1_048_576);
  });

  it('takes every flag from its env var, the flag winning', () => {
    const env: Env = {
      LAKESTREAM_SOURCE: 'sat', KAFKA_BROKERS: 'e:1', LAKESTREAM_GROUP: 'g-env', LAKESTREAM_TABLES: 'envdir', LAKESTREAM_TRIGGER: '1s',
      LAKESTREAM_MAX_OFFSETS_PER_TRIGGER: '7', LAKESTREAM_MAX_BYTES_PER_TRIGGER: '2KiB', LAKESTREAM_ONCE: 'true',
      LAKESTREAM_STARTING_OFFSETS: 'latest', LAKESTREAM_OPTIMIZE_EVERY: '3', LAKESTREAM_METRICS_PORT: '9999',
      LAKESTREAM_DEDUP_WINDOW: '1h', LAKESTREAM_SESSION_WAIT: '1s', LAKESTREAM_DLQ_TOPIC: 'd', LAKESTREAM_ENRICHED_TOPIC: 'e',
      LAKESTREAM_RESTREAM: '0', LAKESTREAM_DOCS: 'yes', LAKESTREAM_DOCS_OUT: 'x.html', LAKESTREAM_SAT_TOPIC: 'st',
      LAKESTREAM_F1_TOPIC: 'ft', LAKESTREAM_SESSIONS_TOPIC: 'ss', LAKESTREAM_KAFKA_LOG_LEVEL: 'debug',
      LAKESTREAM_IDLE_TIMEOUT: '5s', LAKESTREAM_SUMMARY_JSON: 'e.json', LAKESTREAM_SESSION_TIMEOUT: '1m', LAKESTREAM_DEDUP_MAX_KEYS: '42',
    };
    expect(runConfig([], env)).toEqual({
      sources: ['satellite'],
      brokers: ['e:1'],
      appId: 'g-env',
      tablesDir: 'envdir',
      topics: { satellite: 'st', f1: 'ft', sessions: 'ss', dlq: 'd', enriched: undefined },
      triggerMs: 1_000,
      maxOffsetsPerTrigger: 7,
      maxBytesPerTrigger: 2048,
      once: true,
      idleTimeoutMs: 5_000,
      summaryJson: 'e.json',
      sessionTimeoutMs: 60_000,
      startingOffsets: 'latest',
      optimizeEvery: 3,
      metricsPort: 9999,
      dedupWindowMs: 3_600_000,
      dedupMaxKeys: 42,
      sessionWaitMs: 1_000,
      docsOut: 'x.html',
      kafkaLogLevel: 'debug',
    } satisfies ConsumerConfig);
    expect(runConfig(['--brokers', 'a:1', '--group', 'flag', '--restream', '--no-once'], env)).toMatchObject({
      brokers: ['a:1'],
      appId: 'flag',
      once: false,
      topics: { enriched: 'e' },
    });
    // An empty env var is unset.
    expect(runConfig([], { KAFKA_BROKERS: '' }).brokers).toEqual(['localhost:9092']);
  });

  it('documents every env var in --help', () => {
    for (const flag of ['source', 'brokers', 'group', 'tables', 'trigger', 'max-offsets-per-trigger', 'max-bytes-per-trigger', 'once', 'starting-offsets', 'optimize-every', 'metrics-port', 'dedup-window', 'dedup-max-keys', 'session-wait', 'dlq-topic', 'enriched-topic', 'restream', 'docs', 'docs-out', 'sat-topic', 'f1-topic', 'sessions-topic', 'kafka-log-level', 'idle-timeout', 'summary-json', 'session-timeout']) {
      expect(HELP).toContain(envName('run', flag));
      expect(HELP).toContain(flag === 'restream' ? '--no-restream' : `--${flag}`);
    }
  });

  it.each([
    [['--source', 'gps'], /^--source: .*\(got 'gps'\)/],
    [['--brokers', 'nohost'], /^--brokers: expected host:port \(got 'nohost'\)/],
    [['--group', 'a b'], /^--group: /],
    [['--trigger', '5'], /^--trigger: expected a duration such as 500ms, 5s, 1m, 6h \(got '5'\)/],
    [['--trigger', '2h'], /^--trigger: must be at most 1h/],
    [['--max-offsets-per-trigger', '0'], /^--max-offsets-per-trigger: /],
    [['--max-offsets-per-trigger', '1e3'], /^--max-offsets-per-trigger: expected a whole number/],
    [['--max-bytes-per-trigger', '64 parsecs'], /^--max-bytes-per-trigger: expected a size/],
    [['--max-bytes-per-trigger', '10'], /^--max-bytes-per-trigger: must be at least 1KiB/],
    [['--starting-offsets', 'middle'], /^--starting-offsets: /],
    [['--optimize-every', '-1'], /-1|optimize-every/],
    [['--metrics-port', '70000'], /^--metrics-port: /],
    [['--dedup-window', 'forever'], /^--dedup-window: /],
    [['--dedup-max-keys', '0'], /^--dedup-max-keys: /],
    [['--session-wait', '10'], /^--session-wait: /],
    [['--dlq-topic', 'bad topic'], /^--dlq-topic: letters, digits/],
    [['--kafka-log-level', 'loud'], /^--kafka-log-level: /],
    [['--what'], /Unknown option '--what'/],
    [['serve'], /unknown command 'serve'/],
    [['--once', 'extra'], /positional|extra/],
  ])('%j is a usage error naming the flag', (argv, message) => {
    expect(usage(argv).message).toMatch(message);
  });

  it('names the env var when the bad value came from env', () => {
    expect(usage([], { KAFKA_BROKERS: 'nohost' }).message).toMatch(/^KAFKA_BROKERS: expected host:port/);
    expect(usage([], { LAKESTREAM_TRIGGER: 'soon' }).message).toMatch(/^LAKESTREAM_TRIGGER: /);
    expect(usage([], { LAKESTREAM_ONCE: 'maybe' }).message).toMatch(/^LAKESTREAM_ONCE: expected 1\/true\/yes/);
    // ...but a valid flag overrides a bad env var.
    expect(runConfig(['--trigger', '1s'], { LAKESTREAM_TRIGGER: 'soon' }).triggerMs).toBe(1_000);
  });
});

describe('parseCli: help and subcommands', () => {
  it('-h / --help on any command', () => {
    for (const argv of [['-h'], ['--help'], ['run', '--help'], ['docs', '-h'], ['optimize', '--help'], ['--once', '--help']]) {
      expect(parseCli(argv, {})).toEqual({ command: 'help' } satisfies CliResult);
    }
  });

  it('docs: --tables and --out, with env', () => {
    expect(parseCli(['docs'], {})).toEqual({ command: 'docs', config: { tablesDir: 'data/delta-tables', out: 'data/reports/data-docs.html' } });
    expect(parseCli(['docs', '--tables', 't', '--out', 'o.html'], {})).toEqual({ command: 'docs', config: { tablesDir: 't', out: 'o.html' } });
    expect(parseCli(['docs'], { LAKESTREAM_TABLES: 'et', LAKESTREAM_DOCS_OUT: 'eo.html' })).toEqual({ command: 'docs', config: { tablesDir: 'et', out: 'eo.html' } });
    expect(usage(['docs', '--once']).message).toMatch(/Unknown option '--once'/);
  });

  it('optimize: --tables and --source', () => {
    expect(parseCli(['optimize'], {})).toEqual({ command: 'optimize', config: { tablesDir: 'data/delta-tables', sources: ['satellite', 'f1'] } });
    expect(parseCli(['optimize', '--source', 'f1', '--tables', 't'], {})).toEqual({ command: 'optimize', config: { tablesDir: 't', sources: ['f1'] } });
    expect(parseCli(['optimize'], { LAKESTREAM_SOURCE: 'sat' })).toMatchObject({ config: { sources: ['satellite'] } });
    expect(usage(['optimize', '--source', 'x']).message).toMatch(/^--source: /);
  });
  it('takes --session-timeout within Kafka’s group bounds', () => {
    const ok = parseCli(['--session-timeout', '10s'], {});
    expect(ok.command === 'run' && ok.config.sessionTimeoutMs).toBe(10_000);
    const dflt = parseCli([], {});
    expect(dflt.command === 'run' && dflt.config.sessionTimeoutMs).toBe(30_000);
    expect(() => parseCli(['--session-timeout', '1s'], {})).toThrow(/--session-timeout/);
  });
});
