/**
 * Pure parsers for the consumer bench: the consumer's batch and summary
 * lines, the producer's summary, and Prometheus histogram quantiles
 * (`histogram_quantile` semantics: linear interpolation inside the bucket).
 */

export interface BatchLine {
  readonly id: number;
  readonly records: number;
  readonly ms: number;
  /** Rows the batch wrote to bronze (summed over sources). */
  readonly bronze: number;
  /** Rows the batch wrote to quarantine (summed over sources). */
  readonly quarantine: number;
}

const BATCH = /^batch (\d+): (\d+) records .* in (\d+) ms/;

/** `batch 2: 188 records 1570 KiB in 1768 ms (process 651 ms; f1.bronze 17196 140ms, f1.quarantine 0 (txn) 2ms, …); lag 0` */
export function parseBatchLine(line: string): BatchLine | undefined {
  const m = BATCH.exec(line);
  if (!m) return undefined;
  const sum = (re: RegExp) => [...line.matchAll(re)].reduce((n, x) => n + Number(x[1]), 0);
  return { id: Number(m[1]), records: Number(m[2]), ms: Number(m[3]), bronze: sum(/\.bronze (\d+)/g), quarantine: sum(/\.quarantine (\d+)/g) };
}

export interface ConsumerSummaryFigures {
  readonly batches: number;
  readonly seconds: number;
  readonly consumed: number;
  /** The consumer's own rate: consumed / elapsed (includes start-up and group join). */
  readonly rate: number;
  readonly silver: number;
  readonly bronze: number;
  readonly quarantined: Readonly<Record<string, number>>;
  readonly reconciled: boolean;
}

/** Reads the consumer's end-of-run summary (one source). */
export function parseConsumerSummary(stdout: string): ConsumerSummaryFigures | undefined {
  const head = /summary: .*: (\d+) batches in ([\d.]+) s/.exec(stdout);
  const src = /^ {2}\w+: (\d+) events consumed, (\d+) events\/s/m.exec(stdout);
  if (!head || !src) return undefined;
  const rows = (role: string) => Number(new RegExp(`^ {4}${role} +v\\S+ +(\\d+) rows`, 'm').exec(stdout)?.[1] ?? 0);
  const quarantined: Record<string, number> = {};
  const q = /^ {4}quarantined (.*)$/m.exec(stdout)?.[1] ?? 'none';
  if (q !== 'none') {
    for (const part of q.split(', ')) {
      const m = /^(\S+) (\d+)$/.exec(part.trim());
      if (m) quarantined[m[1] as string] = Number(m[2]);
    }
  }
  const reconcileLine = /^ {4}reconcile (.*)$/m.exec(stdout)?.[1] ?? '';
  return {
    batches: Number(head[1]),
    seconds: Number(head[2]),
    consumed: Number(src[1]),
    rate: Number(src[2]),
    silver: rows('silver'),
    bronze: rows('bronze'),
    quarantined,
    reconciled: reconcileLine !== '' && !reconcileLine.includes('OFF BY'),
  };
}

/** The producer's summary: `events N`, `messages M`, `elapsed S s`. */
export function parseProducerSummary(stdout: string): { readonly events: number; readonly messages: number; readonly seconds: number } | undefined {
  const events = /^ {2}events +(\d+)$/m.exec(stdout);
  const messages = /^ {2}messages +(\d+)$/m.exec(stdout);
  const elapsed = /^ {2}elapsed +([\d.]+) s$/m.exec(stdout);
  if (!events || !messages || !elapsed) return undefined;
  return { events: Number(events[1]), messages: Number(messages[1]), seconds: Number(elapsed[1]) };
}

export interface Bucket {
  /** Upper bound; Infinity for +Inf. */
  readonly le: number;
  /** Cumulative count. */
  readonly count: number;
}

/** The cumulative buckets of `name` (label filter: every given label must match), sorted by `le`. */
export function parseHistogram(text: string, name: string, labels: Readonly<Record<string, string>> = {}): Bucket[] {
  const buckets: Bucket[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const m = /^[^{]+\{([^}]*)\} (\S+)/.exec(line);
    if (!m) continue;
    const pairs = new Map([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] as string, x[2] as string]));
    if (Object.entries(labels).some(([k, v]) => pairs.get(k) !== v)) continue;
    const le = pairs.get('le');
    if (le === undefined) continue;
    buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: Number(m[2]) });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/**
 * Prometheus' histogram_quantile: the bucket holding rank q·total, linear
 * inside it (from the previous bound, 0 for the first); in +Inf the largest
 * finite bound. NaN when the histogram is empty.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0 || !(q >= 0 && q <= 1)) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket === 0 ? b.le : prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** Sum of the samples of a counter `name` whose labels match every given regex. */
export function sumCounter(text: string, name: string, labels: Readonly<Record<string, RegExp>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`).exec(line);
    if (!m) continue;
    const pairs = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] as string, x[2] as string]));
    if (Object.entries(labels).some(([k, re]) => !re.test(pairs.get(k) ?? ''))) continue;
    sum += Number(m[2]);
  }
  return sum;
}
