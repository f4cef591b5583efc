import { describe, expect, it } from 'vitest';
import { MAX_KEY_CHARS, WARNING_INTERVAL_MS, WarningLimiter } from './warning-limiter.js';

describe('WarningLimiter', () => {
  it('logs the first warning of a key, suppresses repeats for the interval, then logs one with the count', () => {
    let clock = 0;
    const limiter = new WarningLimiter({ now: () => clock });
    expect(limiter.admit('a')).toEqual({ log: true, suppressed: 0 });
    const decisions = [];
    for (let i = 0; i < 600; i++) {
      clock += 100; // ten a second for a minute
      decisions.push(limiter.admit('a'));
    }
    // 599 repeats inside the first minute are suppressed; the one at exactly 60 s is logged with their count.
    expect(decisions.filter((d) => d.log)).toEqual([{ log: true, suppressed: 599 }]);
    expect(decisions.at(-1)).toEqual({ log: true, suppressed: 599 });
    clock += 1;
    expect(limiter.admit('a')).toEqual({ log: false });
    clock += WARNING_INTERVAL_MS;
    expect(limiter.admit('a')).toEqual({ log: true, suppressed: 1 });
  });

  it('keeps keys apart', () => {
    let clock = 0;
    const limiter = new WarningLimiter({ now: () => clock, intervalMs: 1000 });
    expect(limiter.admit('client-1|fetch v3').log).toBe(true);
    expect(limiter.admit('client-2|fetch v3').log).toBe(true);
    expect(limiter.admit('client-1|produce v2').log).toBe(true);
    expect(limiter.admit('client-1|fetch v3').log).toBe(false);
    clock = 999;
    expect(limiter.admit('client-2|fetch v3').log).toBe(false);
    clock = 1000;
    expect(limiter.admit('client-2|fetch v3')).toEqual({ log: true, suppressed: 1 });
  });

  it('a quiet key is logged at once again, with no count', () => {
    let clock = 0;
    const limiter = new WarningLimiter({ now: () => clock, intervalMs: 1000 });
    limiter.admit('a');
    clock = 5000;
    expect(limiter.admit('a')).toEqual({ log: true, suppressed: 0 });
  });

  it('remembers at most maxKeys keys: expired ones go first, then the oldest', () => {
    let clock = 0;
    const limiter = new WarningLimiter({ now: () => clock, intervalMs: 1000, maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) limiter.admit(k);
    clock = 500;
    limiter.admit('d'); // none expired: the oldest ('a') goes
    expect(limiter.size).toBe(3);
    expect(limiter.admit('a')).toEqual({ log: true, suppressed: 0 }); // forgotten, so logged again; 'b' goes
    expect(limiter.admit('c').log).toBe(false); // still remembered
    clock = 1600;
    limiter.admit('e'); // 'c' (0 ms) and 'd', 'a' (500 ms) have expired
    expect(limiter.size).toBeLessThanOrEqual(3);
    expect(limiter.admit('e').log).toBe(false);
  });
});

describe('#18 the warning limiter under many distinct clients', () => {
  it('holds a bounded number of characters however long the client ids are (32 KiB each here)', () => {
    let clock = 0;
    const limiter = new WarningLimiter({ now: () => clock, maxKeys: 1000 });
    // What Connection builds: address | client id | reason. Each id decoded from its own request, so its own string.
    const key = (i: number) => `10.0.0.${i % 250}|${Buffer.alloc(32_767, 97 + (i % 26)).toString('latin1')}${i}|undecodable request: Fetch v3`;
    for (let i = 0; i < 1500; i++) {
      clock += 1;
      expect(limiter.admit(key(i)).log).toBe(true);
    }
    expect(limiter.size).toBe(1000);
    // Before: every remembered key kept its client id, 1000 × 32 KiB = 33 MB; at the default 10,000 keys, 330 MB.
    expect(limiter.retainedChars).toBeLessThanOrEqual(1000 * (MAX_KEY_CHARS + 64));
    // Long keys are still told apart and rate-limited.
    expect(limiter.admit(key(1499)).log).toBe(false);
    expect(limiter.admit(key(1498)).log).toBe(false);
    expect(limiter.admit(key(1500)).log).toBe(true);
  });

  it('a flood of distinct clients costs O(1) per warning once the limiter is full, not a scan of every key', () => {
    const limiter = new WarningLimiter(); // 10,000 keys, one minute
    for (let i = 0; i < 10_000; i++) limiter.admit(`10.0.0.1|client-${i}|undecodable request`);
    const started = performance.now();
    for (let i = 10_000; i < 30_000; i++) limiter.admit(`10.0.0.1|client-${i}|undecodable request`);
    // Before: each new key scanned all 10,000 for expired ones, ~0.25 ms a warning on the event loop (~5 s here); now well under 1 s.
    expect(performance.now() - started).toBeLessThan(2500);
    expect(limiter.size).toBe(10_000);
    expect(limiter.admit('10.0.0.1|client-29999|undecodable request').log).toBe(false);
    expect(limiter.admit('10.0.0.1|client-19999|undecodable request').log).toBe(true); // evicted, oldest first
  });
});
