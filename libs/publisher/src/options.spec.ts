import { describe, expect, it } from 'vitest';
import { PublisherOptionsError } from './errors.js';
import { PUBLISHER_DEFAULTS, resolvePublisherOptions } from './options.js';

const base = { brokers: ['localhost:9092'], clientId: 'c', topic: 't' };

describe('resolvePublisherOptions', () => {
  it('fills defaults and derives the buffer bound from batch size and lanes', () => {
    const o = resolvePublisherOptions({ ...base, maxInFlight: 2, lingerMs: undefined });
    expect(o).toMatchObject({ ...PUBLISHER_DEFAULTS, maxInFlight: 2, maxBufferedMessages: 4 * 1_000 * 2, idempotent: true, compression: 'none' });
  });

  it.each([
    [{ brokers: [] }, 'brokers'],
    [{ brokers: ['localhost'] }, 'brokers'],
    [{ maxInFlight: 0 }, 'maxInFlight'],
    [{ lingerMs: -1 }, 'lingerMs'],
    [{ retries: 0 }, 'retries'],
    [{ compression: 'lz4' as 'none' }, 'compression'],
    [{ topic: '' }, 'topic'],
  ])('rejects %j naming %s', (patch, option) => {
    try {
      resolvePublisherOptions({ ...base, ...patch });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PublisherOptionsError);
      expect((error as PublisherOptionsError).code).toBe('INVALID_OPTIONS');
      expect((error as PublisherOptionsError).context['option']).toBe(option);
    }
  });
});
