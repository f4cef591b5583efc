/**
 * The bench's parsers: histogram quantiles against an exact quantile of the
 * samples (within one bucket), line parsers round-tripping what the apps print.
 * Runs with `npx vitest run --config bench/vitest.config.mts`
 * from apps/consumer (the project's vitest config only includes src/ and test/).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramQuantile, parseBatchLine, parseConsumerSummary, parseHistogram, parseProducerSummary, sumCounter, type Bucket } from './parse.js';

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30, 60, 120, 300];

function exposition(samples: readonly number[], name = 'm_seconds', source = 'f1'): string {
  const lines = [`# TYPE ${name} histogram`];
  for (const le of [...BOUNDS, Infinity]) {
    const count = samples.filter((s) => s <= le).length;
    lines.push(`${name}_bucket{le="${le === Infinity ? '+Inf' : String(le)}",source="${source}"} ${count}`);
  }
  lines.push(`${name}_sum{source="${source}"} ${samples.reduce((a, b) => a + b, 0)}`, `${name}_count{source="${source}"} ${samples.length}`);
  return lines.join('\n');
}

/** The bucket [lower, upper] holding value v. */
function bucketOf(v: number): [number, number] {
  let lower = 0;
  for (const le of BOUNDS) {
    if (v <= le) return [lower, le];
    lower = le;
  }
  return [lower, Infinity];
}

describe('histogramQuantile', () => {
  it('lands in the bucket of the exact sample quantile', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (samples, q) => {
        const buckets = parseHistogram(exposition(samples), 'm_seconds', { source: 'f1' });
        const est = histogramQuantile(q, buckets);
        const sorted = [...samples].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
        const [lo, hi] = bucketOf(exact);
        expect(est).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(est).toBeLessThanOrEqual(hi + 1e-9);
      }),
    );
  });

  it('is monotone in q', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (samples, a, b) => {
        const buckets = parseHistogram(exposition(samples), 'm_seconds');
        const [q1, q2] = a <= b ? [a, b] : [b, a];
        expect(histogramQuantile(q1, buckets)).toBeLessThanOrEqual(histogramQuantile(q2, buckets));
      }),
    );
  });

  it('is NaN for an empty histogram and ignores other label values', () => {
    expect(histogramQuantile(0.5, [])).toBeNaN();
    const text = `${exposition([0.2, 0.3], 'm_seconds', 'f1')}\n${exposition([100, 200, 250], 'm_seconds', 'satellite')}`;
    const f1: Bucket[] = parseHistogram(text, 'm_seconds', { source: 'f1' });
    expect(f1.at(-1)?.count).toBe(2);
    expect(histogramQuantile(0.99, f1)).toBeLessThanOrEqual(0.5);
  });
});

describe('line parsers', () => {
  it('parseBatchLine sums bronze and quarantine rows over sources', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (id, records, ms, b1, b2, q) => {
        const line = `batch ${id}: ${records} records 12 KiB in ${ms} ms (process 3 ms; f1.bronze ${b1} 140ms, f1.quarantine ${q} 2ms, satellite.bronze ${b2} 5ms, f1.silver ${b1} 3ms, validation 6 6ms); lag 0`;
        expect(parseBatchLine(line)).toEqual({ id, records, ms, bronze: b1 + b2, quarantine: q });
      }),
    );
    expect(parseBatchLine('resume f1-telemetry/0 at offset 0')).toBeUndefined();
  });

  it('parseConsumerSummary reads the summary the consumer prints', () => {
    const text = [
      'summary: bench-framed (--once: caught up): 12 batches in 8.250 s, 0 fenced commits',
      '  f1: 200000 events consumed, 24242 events/s',
      '    bronze      v12         199000 rows  /tmp/x/bronze/telemetry_events',
      '    silver      v12         198500 rows  /tmp/x/silver/telemetry_enriched',
      '    quarantine  v12            1500 rows  /tmp/x/quarantine/f1',
      '    validation  v12              72 rows  /tmp/x/quality/validation_results',
      '    quarantined BAD_MAGIC 1000, DUPLICATE 500',
      '    lag         0 records (f1[0] 0)',
      '    reconcile   consumed 200000 = bronze 199000 + decode failures 1000: ok; silver 198500 = bronze 199000 - failed expectations 0 - duplicates 500 - unknown session 0: ok',
    ].join('\n');
    expect(parseConsumerSummary(text)).toEqual({
      batches: 12, seconds: 8.25, consumed: 200000, rate: 24242, silver: 198500, bronze: 199000,
      quarantined: { BAD_MAGIC: 1000, DUPLICATE: 500 }, reconciled: true,
    });
    expect(parseConsumerSummary(text.replace(': ok; silver', ': OFF BY +3; silver'))?.reconciled).toBe(false);
    expect(parseConsumerSummary('nothing here')).toBeUndefined();
  });

  it('parseProducerSummary and sumCounter', () => {
    expect(parseProducerSummary('summary: f1 -> t\n  events      20000\n  messages    219\n  elapsed     0.549 s\n')).toEqual({ events: 20000, messages: 219, seconds: 0.549 });
    const text = 'x_total{source="f1",table="f1.silver"} 5\nx_total{source="f1",table="f1.bronze"} 7\nx_total{source="sat",table="satellite.silver"} 2\n';
    expect(sumCounter(text, 'x_total', { table: /silver/ })).toBe(7);
    expect(sumCounter(text, 'x_total')).toBe(14);
  });
});
