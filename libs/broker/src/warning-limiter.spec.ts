import { describe, expect, it } from 'vitest';
import { WARNING_INTERVAL_MS, WarningLimiter } from './warning-limiter.js';

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
