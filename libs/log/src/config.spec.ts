import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, fromKafkaTopicConfig, resolveLogConfig, toKafkaTopicConfig } from './config.js';

describe('log config', () => {
  it('fills defaults and rejects out-of-range values with INVALID_CONFIG', () => {
    expect(resolveLogConfig({ retentionMs: 5, segmentBytes: undefined })).toEqual({ ...DEFAULT_LOG_CONFIG, retentionMs: 5 });
    expect(() => resolveLogConfig({ segmentBytes: 10 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => resolveLogConfig({ flush: { messages: 0 } })).toThrow(/flush.messages/);
    expect(() => resolveLogConfig({ retentionBytes: -2 })).toThrow(/retentionBytes/);
  });

  it('maps Kafka topic config names both ways', () => {
    const r = fromKafkaTopicConfig({ 'retention.ms': '60000', 'segment.bytes': '1048576', 'flush.messages': '1', 'cleanup.policy': 'delete', 'message.timestamp.type': 'LogAppendTime' });
    expect(r).toEqual({ ok: true, config: { retentionMs: 60_000, segmentBytes: 1_048_576, flush: 'always', timestampType: 'LogAppendTime' }, ignored: ['cleanup.policy'] });
    expect(fromKafkaTopicConfig({ 'flush.ms': '9223372036854775807', 'flush.messages': '100' })).toMatchObject({ ok: true, config: { flush: { messages: 100 } } });
    expect(fromKafkaTopicConfig({ 'retention.ms': 'soon' })).toMatchObject({ ok: false, code: 'INVALID_CONFIG', key: 'retention.ms' });
    expect(fromKafkaTopicConfig({ 'segment.bytes': '5' })).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    const kafka = toKafkaTopicConfig(DEFAULT_LOG_CONFIG);
    expect(kafka).toMatchObject({ 'retention.ms': '604800000', 'retention.bytes': '-1', 'flush.ms': '1000', 'flush.messages': '9223372036854775807' });
    expect(fromKafkaTopicConfig(kafka)).toMatchObject({ ok: true, config: { retentionMs: 604_800_000, flush: { ms: 1000 } } });
  });
});
