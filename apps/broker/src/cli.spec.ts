import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';
import { UsageError } from './errors.js';

describe('parseCli', () => {
  it('defaults to 127.0.0.1:9092, data/broker, 6 partitions', () => {
    expect(parseCli([])).toEqual({
      help: false,
      options: { host: '127.0.0.1', port: 9092, maxRequestBytes: 104857600, messageMaxBytes: 1048588, dir: 'data/broker', defaultPartitions: 6, autoCreateTopics: true, log: {} },
    });
  });

  it('maps every flag', () => {
    const r = parseCli([
      '--host', '0.0.0.0', '--port', '0', '--advertised-host', 'broker.local', '--dir', '/tmp/x', '--partitions', '3',
      '--retention-ms', '-1', '--retention-bytes', '1000000', '--segment-bytes', '1048576', '--flush', 'always',
      '--max-request-bytes', '2048', '--message-max-bytes', '5242880', '--no-auto-create-topics',
    ]);
    expect(r).toEqual({
      help: false,
      options: {
        host: '0.0.0.0', port: 0, advertisedHost: 'broker.local', dir: '/tmp/x', defaultPartitions: 3, maxRequestBytes: 2048, messageMaxBytes: 5242880, autoCreateTopics: false,
        log: { retentionMs: -1, retentionBytes: 1000000, segmentBytes: 1048576, flush: 'always' },
      },
    });
    expect(parseCli(['--flush', '250'])).toMatchObject({ options: { log: { flush: { ms: 250 } } } });
    expect(parseCli(['-h'])).toEqual({ help: true });
  });

  it('names the flag at fault', () => {
    expect(() => parseCli(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseCli(['--flush', 'sometimes'])).toThrow(/--flush: expected 'always' or a number/);
    expect(() => parseCli(['--partitions', '0'])).toThrow(/--partitions/);
    expect(() => parseCli(['--message-max-bytes', '-1'])).toThrow(/--message-max-bytes/);
    expect(() => parseCli(['--bogus'])).toThrow(UsageError);
  });
});
