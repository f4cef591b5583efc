/**
 * DedupIndex: event key → Kafka coordinates of its first occurrence, so a
 * duplicate is decided by *where* the key was first seen, never by which
 * records share a micro-batch. A key seen again at the same coordinate is a
 * replay (a batch re-read after a crash or a fencing reseek), not a duplicate.
 *
 * "Earlier" is Kafka order within a partition ((offset, event index)); keys
 * first seen in another partition count as earlier (both sources key their
 * messages by car / satellite, so one key lives in one partition and its fate
 * is deterministic). Bounded by entry count and by event time; `seed` rebuilds
 * it from silver rows, `forget(partition)` drops a revoked partition.
 */
import { DataType, TimeUnit, type Table } from 'apache-arrow';
import { MedallionError } from './errors.js';

export interface Coordinate {
  readonly partition: number;
  readonly offset: bigint;
  /** Index of the event in its message (0 for a single-event message). */
  readonly eventIndex: number;
}

/** `new`: first occurrence (now remembered); `replay`: same coordinate again; `duplicate`: seen earlier elsewhere. */
export type DedupVerdict = 'new' | 'replay' | 'duplicate';

export interface DedupOptions {
  /** Keys remembered at most; the oldest inserted go first (default 2,000,000). */
  readonly maxEntries?: number;
  /** Keys whose event time is older than the newest seen minus this are forgotten (default 6 h). */
  readonly windowMs?: number;
}

interface Entry {
  partition: number;
  offset: bigint;
  /** -1: unknown (seeded from silver, which has no event index): the first event at (partition, offset) claims it. */
  eventIndex: number;
  eventTimeMs: number;
}

export const DEFAULT_DEDUP_MAX_ENTRIES = 2_000_000;
export const DEFAULT_DEDUP_WINDOW_MS = 6 * 3_600_000;

export class DedupIndex {
  readonly maxEntries: number;
  readonly windowMs: number;
  private readonly entries = new Map<string, Entry>();
  /**
   * Keys in insertion order with the entry each was inserted with, oldest at `head`: eviction pops from here.
   * (Iterating the Map from its start instead walks over every deleted slot V8 keeps until a rehash: once the
   * index was full, each insert cost ~0.3 ms at 200k keys and a long run slowed batch after batch.)
   * A key deleted or inserted again leaves a stale slot, skipped by entry identity.
   */
  private order: { keys: string[]; entries: Entry[] } = { keys: [], entries: [] };
  private head = 0;
  private newestMs = -Infinity;

  constructor(options: DedupOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_DEDUP_MAX_ENTRIES;
    this.windowMs = options.windowMs ?? DEFAULT_DEDUP_WINDOW_MS;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new MedallionError('INVALID_OPTIONS', `maxEntries must be a positive integer, got ${String(options.maxEntries)}`, { option: 'maxEntries' });
    }
    if (!(this.windowMs > 0)) throw new MedallionError('INVALID_OPTIONS', `windowMs must be positive, got ${String(options.windowMs)}`, { option: 'windowMs' });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The verdict for `key` at `at`, without remembering anything. */
  check(key: string, at: Coordinate): DedupVerdict {
    const e = this.entries.get(key);
    if (!e) return 'new';
    return verdictOf(e, at);
  }

  /**
   * The verdict for a silver-bound event, remembering its first occurrence.
   * Only call it for events that passed every other check: only silver-bound
   * events enter the index.
   */
  observe(key: string, at: Coordinate, eventTimeMs: number): DedupVerdict {
    const e = this.entries.get(key);
    if (e) {
      const v = verdictOf(e, at);
      if (v === 'replay' && e.eventIndex === -1) e.eventIndex = at.eventIndex;
      if (v !== 'new') return v;
      // The stored occurrence is later in the same partition: this one is the first.
      this.entries.delete(key);
    }
    this.insert(key, { partition: at.partition, offset: at.offset, eventIndex: at.eventIndex, eventTimeMs });
    return 'new';
  }

  /** Forget every key first seen in `partition` (it was revoked; its new owner decides). */
  forget(partition: number): void {
    for (const [key, e] of this.entries) if (e.partition === partition) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.order = { keys: [], entries: [] };
    this.head = 0;
    this.newestMs = -Infinity;
  }

  /**
   * Rebuild from silver rows: `keyColumns` joined with `/` (the event key
   * text), plus `kafka_partition`, `kafka_offset` and, when present,
   * `event_time` for the window. Rows are taken in table order.
   */
  seed(silverRows: Table, keyColumns: readonly string[]): void {
    const child = (name: string): NonNullable<ReturnType<Table['getChild']>> => {
      const c = silverRows.getChild(name);
      if (!c) throw new MedallionError('INVALID_SEED', `seed table lacks column ${name}`, { column: name });
      return c;
    };
    // Whole columns at once (typed arrays, strings): a Vector.get per cell cost ~9 µs per row.
    const keys = keyColumns.map((name) => child(name).toArray() as ArrayLike<unknown>);
    const partitions = child('kafka_partition').toArray() as ArrayLike<number>;
    const offsets = child('kafka_offset').toArray() as ArrayLike<bigint | number>;
    const eventMs = eventTimesMs(silverRows.getChild('event_time'));
    const [k0, k1, k2] = keys;
    const keyOf = keys.length === 3 && k0 && k1 && k2 ? (i: number) => `${String(k0[i])}/${String(k1[i])}/${String(k2[i])}` : (i: number) => keys.map((k) => String(k[i])).join('/');
    // numRows sums every record batch on each call: read it once (a rebuild reads ~1,000 small files).
    const n = silverRows.numRows;
    for (let i = 0; i < n; i++) {
      const key = keyOf(i);
      const eventTimeMs = eventMs?.(i) ?? this.newestMs;
      const at: Coordinate = { partition: Number(partitions[i]), offset: BigInt(offsets[i] as bigint | number), eventIndex: -1 };
      const e = this.entries.get(key);
      if (e && verdictOf(e, at) !== 'new') continue;
      if (e) this.entries.delete(key);
      this.insert(key, { partition: at.partition, offset: at.offset, eventIndex: -1, eventTimeMs });
    }
  }

  private insert(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.order.keys.push(key);
    this.order.entries.push(entry);
    if (entry.eventTimeMs > this.newestMs) this.newestMs = entry.eventTimeMs;
    this.evict();
  }

  /** Drops the oldest inserted keys while over `maxEntries` or out of the window, stopping at the first kept. */
  private evict(): void {
    const cutoff = this.newestMs - this.windowMs;
    const { keys, entries } = this.order;
    while (this.head < keys.length) {
      const key = keys[this.head] as string;
      const e = entries[this.head] as Entry;
      if (this.entries.get(key) === e) {
        if (this.entries.size <= this.maxEntries && e.eventTimeMs >= cutoff) break;
        this.entries.delete(key);
      }
      this.head++;
    }
    // Stale slots before `head` (popped) or behind it (deleted, re-inserted, forgotten) are dropped now and then.
    if (this.head > 4096 && this.head * 2 > keys.length) this.compact();
    else if (keys.length - this.head > 2 * this.entries.size + 4096) this.compact();
  }

  private compact(): void {
    const { keys, entries } = this.order;
    const next: { keys: string[]; entries: Entry[] } = { keys: [], entries: [] };
    for (let i = this.head; i < keys.length; i++) {
      const key = keys[i] as string;
      const e = entries[i] as Entry;
      if (this.entries.get(key) === e) {
        next.keys.push(key);
        next.entries.push(e);
      }
    }
    this.order = next;
    this.head = 0;
  }
}

/** Epoch ms of row i of a timestamp column (any unit), by whole column; undefined for a missing column or a null cell. */
function eventTimesMs(column: ReturnType<Table['getChild']>): ((i: number) => number | undefined) | undefined {
  if (!column) return undefined;
  const type = column.type as { typeId: number; unit?: number };
  if (!DataType.isTimestamp(type as DataType)) return (i) => {
    const t: unknown = column.get(i);
    return typeof t === 'number' ? t : undefined;
  };
  const raw = column.toArray() as ArrayLike<bigint | number>;
  const perMs = [1e-3, 1, 1e3, 1e6][type.unit ?? TimeUnit.MICROSECOND] as number;
  if (column.nullCount === 0) return (i) => Number(raw[i]) / perMs;
  return (i) => (column.isValid(i) ? Number(raw[i]) / perMs : undefined);
}

function verdictOf(e: Entry, at: Coordinate): DedupVerdict {
  if (e.partition !== at.partition) return 'duplicate';
  if (e.offset === at.offset) {
    if (e.eventIndex === -1 || e.eventIndex === at.eventIndex) return 'replay';
    return e.eventIndex < at.eventIndex ? 'duplicate' : 'new';
  }
  return e.offset < at.offset ? 'duplicate' : 'new';
}
