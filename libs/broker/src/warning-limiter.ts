/**
 * Rate limit for repeated warnings: the first warning with a key is logged,
 * later ones with the same key are counted, and at most one per interval is
 * logged again, carrying how many were suppressed since the last one. A
 * client stuck in a reconnect loop (e.g. pinned to protocol versions this
 * broker does not speak) thus costs one line a minute, not ten a second.
 *
 * A count still pending when a client goes quiet is never reported; the
 * number of keys is bounded (expired keys go first, then the oldest), and so
 * is each key's size: a key longer than `MAX_KEY_CHARS` (a client id alone may
 * be 32 KiB) is remembered by its SHA-256, so the memory held is bounded by
 * `maxKeys` alone, whatever clients send.
 */
import { createHash } from 'node:crypto';

/** How often the same warning may be logged again (default). */
export const WARNING_INTERVAL_MS = 60_000;
const DEFAULT_MAX_KEYS = 10_000;
/** Keys longer than this are remembered by their digest. */
export const MAX_KEY_CHARS = 256;

export interface WarningLimiterOptions {
  /** Default `WARNING_INTERVAL_MS`. */
  readonly intervalMs?: number;
  /** Clock in ms (default `Date.now`; tests inject their own). */
  readonly now?: () => number;
  /** Keys remembered at most (default 10,000). */
  readonly maxKeys?: number;
}

export type WarningDecision =
  | { readonly log: false }
  /** `suppressed`: warnings with this key not logged since the last one that was. */
  | { readonly log: true; readonly suppressed: number };

interface KeyState {
  loggedAt: number;
  suppressed: number;
}

export class WarningLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: WarningLimiterOptions = {}) {
    this.intervalMs = options.intervalMs ?? WARNING_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /** Whether a warning with this key is to be logged now. */
  admit(warningKey: string): WarningDecision {
    const key = rememberedKey(warningKey);
    const now = this.now();
    const state = this.keys.get(key);
    if (state !== undefined && now - state.loggedAt < this.intervalMs) {
      state.suppressed += 1;
      return { log: false };
    }
    const suppressed = state?.suppressed ?? 0;
    // Re-inserted so the map's order is the order of the last logged line (oldest first).
    this.keys.delete(key);
    this.keys.set(key, { loggedAt: now, suppressed: 0 });
    if (this.keys.size > this.maxKeys) this.evict(now);
    return { log: true, suppressed };
  }

  /** Keys remembered (for tests of the bound). */
  get size(): number {
    return this.keys.size;
  }

  /** Characters held in remembered keys (for tests of the bound). */
  get retainedChars(): number {
    let n = 0;
    for (const key of this.keys.keys()) n += key.length;
    return n;
  }

  /**
   * admit re-inserts a key when it logs, so the map runs from the oldest line
   * logged to the newest: the expired keys lead it, and eviction stops at the
   * first key that is neither expired nor over the bound (O(1) amortized; a
   * full scan per new key made a flood of distinct clients cost ~0.3 ms each).
   */
  private evict(now: number): void {
    for (const [key, state] of this.keys) {
      if (this.keys.size <= this.maxKeys && now - state.loggedAt < this.intervalMs) break;
      this.keys.delete(key);
    }
  }
}

/** The key itself, or for a long one its SHA-256 (a prefix no connection key starts with keeps the two kinds apart). */
function rememberedKey(key: string): string {
  return key.length <= MAX_KEY_CHARS ? key : `\u0000sha256:${createHash('sha256').update(key).digest('base64')}`;
}
