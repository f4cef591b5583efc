import { describe, expect, it } from 'vitest';
import { HELP, parseCli, type ProducerConfig } from './cli.js';
import { UsageError } from './errors.js';

function config(argv: string[], env: Record<string, string> = {}): ProducerConfig {
  const result = parseCli(argv, env);
  if (result.help) throw new Error('unexpected --help');
  return result.config;
}

function usage(argv: string[], env: Record<string, string> = {}): UsageError {
  try {
    parseCli(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseCli', () => {
  it('--start-time: now by default (a new F1 session per run), or a fixed ISO time to replay one', () => {
    expect(config([]).startTimeNs).toBeUndefined();
    expect(config(['--start-time', '2026-03-08T15:00:00Z']).startTimeNs).toBe(1_772_982_000_000_000_000n);
    expect(usage(['--start-time', 'yesterday']).message).toContain('start-time');
  });

  it('defaults to the seed: satellite CSVs to sat-data at localhost:9092, 100-200 ms sleeps, one event per message', () => {
    expect(config([])).toMatchObject({
      source: 'satellite',
      brokers: ['localhost:9092'],
      topic: 'sat-data',
      sleep: { minMs: 100, maxMs: 200 },
      framing: undefined,
      compression: 'none',
      idempotent: true,
      samplesDir: 'data/samples',
      strict: false,
      cars: 50,
      seed: 88,
      maxEvents: undefined,
      durationMs: undefined,
      rate: undefined,
    });
  });

  it('takes the topic default from the source, brokers from KAFKA_BROKERS unless --brokers is given', () => {
    expect(config(['--source', 'f1'], { KAFKA_BROKERS: 'k1:9092, k2:9093' })).toMatchObject({ topic: 'f1-telemetry', brokers: ['k1:9092', 'k2:9093'] });
    expect(config(['--brokers', 'a:1'], { KAFKA_BROKERS: 'k1:9092' }).brokers).toEqual(['a:1']);
    expect(config(['--source=f1', '--topic=t'], { KAFKA_BROKERS: '' }).brokers).toEqual(['localhost:9092']);
  });

  it('maps pacing, framing and producer flags', () => {
    const c = config(['--no-sleep', '--framing', 'on', '--frame-size', '50', '--frame-max-ms', '20', '--compression', 'snappy', '--linger-ms', '0', '--batch-size', '200', '--max-in-flight', '2', '--no-idempotent', '--rate', '1500.5', '--max-events', '10', '--duration', '1.5', '--strict', '--cars', '3', '--seed', '7']);
    expect(c).toMatchObject({ sleep: undefined, framing: { frameSize: 50, maxAgeMs: 20 }, compression: 'snappy', lingerMs: 0, batchSize: 200, maxInFlight: 2, idempotent: false, rate: 1500.5, maxEvents: 10, durationMs: 1500, strict: true, cars: 3, seed: 7 });
  });

  it.each([
    [['--source', 'gps'], /--source/],
    [['--brokers', 'nohost'], /--brokers: expected host:port \(got 'nohost'\)/],
    [['--compression', 'lz4'], /--compression/],
    [['--max-events', '0'], /--max-events/],
    [['--cars', '100'], /--cars/],
    [['--sleep-min-ms', '300'], /--sleep-min-ms: must not exceed --sleep-max-ms/],
    [['--rate', '-1'], /--rate/],
    [['--bogus'], /bogus/],
    [['stray'], /stray/],
  ])('rejects %j', (argv, message) => {
    expect(usage(argv).message).toMatch(message);
  });

  it('names KAFKA_BROKERS when the env value is bad', () => {
    expect(usage([], { KAFKA_BROKERS: 'localhost' }).message).toMatch(/^KAFKA_BROKERS: expected host:port/);
  });

  it('has --help naming every flag', () => {
    expect(parseCli(['-h'], {})).toEqual({ help: true });
    for (const flag of ['--source', '--brokers', '--topic', '--rate', '--max-events', '--duration', '--sleep-min-ms', '--sleep-max-ms', '--no-sleep', '--framing', '--frame-size', '--compression', '--linger-ms', '--batch-size', '--samples-dir', '--strict', '--cars', '--seed', 'KAFKA_BROKERS']) {
      expect(HELP).toContain(flag);
    }
  });

  it('--inject-faults: a probability 0..1 (default 0); --sessions-topic (default f1-sessions); --summary-json', () => {
    expect(config([])).toMatchObject({ faultRate: 0, sessionsTopic: 'f1-sessions', summaryJson: undefined });
    expect(config(['--inject-faults', '0.05', '--sessions-topic', 'ctx', '--summary-json', 'out.json'])).toMatchObject({ faultRate: 0.05, sessionsTopic: 'ctx', summaryJson: 'out.json' });
    expect(config(['--inject-faults', '1']).faultRate).toBe(1);
    expect(config(['--inject-faults', '.5']).faultRate).toBe(0.5);
    for (const bad of ['1.5', '-0.1', 'lots', '2']) expect(usage(['--inject-faults', bad]).message).toContain('--inject-faults');
    expect(usage(['--source', 'f1', '--sessions-topic', 'f1-telemetry']).message).toContain('--sessions-topic');
    expect(usage(['--sessions-topic', 'bad name']).message).toContain('--sessions-topic');
    expect(HELP).toContain('--inject-faults <rate>');
    expect(HELP).toContain('--sessions-topic <name>');
    expect(HELP).toContain('--summary-json <file>');
  });
});
