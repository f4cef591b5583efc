import { describe, expect, it } from 'vitest';
import { runProducer } from './helpers.js';

describe('producer CLI', () => {
  it('--help prints usage and exits 0', async () => {
    const run = await runProducer(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: lakestream-producer');
  });

  it('a bad flag exits 2 naming it', async () => {
    const run = await runProducer(['--source', 'gps']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--source: .*\(got 'gps'\)\nTry --help/);
  });

  it('an unreachable broker exits 1 within 15 s, naming the address and how to get a broker', async () => {
    const run = await runProducer(['--source', 'f1', '--max-events', '10'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(run.stderr).toMatch(/error: no Kafka broker reachable at 127\.0\.0\.1:1/);
    expect(run.stderr).toContain('KAFKA_BROKERS');
    expect(run.stderr).toContain('npx nx run broker:serve');
    expect(run.stdout).toBe('');
  });
});
