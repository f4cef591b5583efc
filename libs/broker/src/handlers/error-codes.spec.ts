import { LogError } from '@lakestream/log';
import { ERROR_CODES } from '@lakestream/protocol';
import { describe, expect, it } from 'vitest';
import { logFailureCode } from './error-codes.js';

describe('logFailureCode', () => {
  it('answers storage failures with a retriable code and reports them to the operator; other log errors are not reported', () => {
    const reported: string[] = [];
    const ctx = { reportStorageFailure: (e: Error) => void reported.push(e.message) };
    const full = new LogError('STORAGE_ERROR', 'ENOSPC: no space left on device', { topic: 't', partition: 0 });
    expect(logFailureCode(ctx, full)).toBe(ERROR_CODES.KAFKA_STORAGE_ERROR);
    expect(logFailureCode(ctx, new LogError('CLOSED', 'partition closed'))).toBe(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain('ENOSPC');
    expect(() => logFailureCode(ctx, new TypeError('bug'))).toThrow(TypeError);
  });
});
