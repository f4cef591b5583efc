import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECODE_REASONS, formatSummary, reconcile, type ConsumerSummary, type SourceSummary } from './summary.js';

const f1: SourceSummary = {
  source: 'f1',
  consumed: 1000,
  tables: [
    { role: 'bronze', path: 'bronze/telemetry_events', version: 12, rowsWritten: 990 },
    { role: 'silver', path: 'silver/telemetry_enriched', version: 11, rowsWritten: 955 },
    { role: 'quarantine', path: 'quarantine/f1', version: 4, rowsWritten: 45 },
    { role: 'validation', path: 'quality/validation_results', version: 12, rowsWritten: 12 },
  ],
  quarantined: { BAD_MAGIC: 6, TRUNCATED: 4, DUPLICATE: 20, EXPECTATION_FAILED: 10, UNKNOWN_SESSION: 5 },
  lag: [
    { topic: 'f1-telemetry', partition: 1, records: 3 },
    { topic: 'f1-telemetry', partition: 0, records: 0 },
  ],
};

const summary: ConsumerSummary = {
  appId: 'lakestream-consumer',
  ended: 'SIGTERM',
  tablesDir: 'data/delta-tables',
  elapsedMs: 10_000,
  batches: 12,
  fenced: 1,
  sources: [f1, { source: 'satellite', consumed: 0, tables: [{ role: 'bronze', path: 'satellite-data-raw', version: undefined, rowsWritten: 0 }], quarantined: {}, lag: [] }],
};

describe('formatSummary', () => {
  it('prints each table with version, rows and location, quarantine by reason, lag, rate and the reconcile line', () => {
    expect(formatSummary(summary)).toBe(
      [
        'summary: lakestream-consumer (SIGTERM): 12 batches in 10.000 s, 1 fenced commits',
        '  f1: 1000 events consumed, 100 events/s',
        '    bronze      v12            990 rows  data/delta-tables/bronze/telemetry_events',
        '    silver      v11            955 rows  data/delta-tables/silver/telemetry_enriched',
        '    quarantine  v4              45 rows  data/delta-tables/quarantine/f1',
        '    validation  v12             12 rows  data/delta-tables/quality/validation_results',
        '    quarantined BAD_MAGIC 6, DUPLICATE 20, EXPECTATION_FAILED 10, TRUNCATED 4, UNKNOWN_SESSION 5',
        '    lag         3 records (f1-telemetry[0] 0, f1-telemetry[1] 3)',
        '    reconcile   consumed 1000 = bronze 990 + decode failures 10: ok; silver 955 = bronze 990 - failed expectations 10 - duplicates 20 - unknown session 5: ok',
        '  satellite: 0 events consumed, 0 events/s',
        '    bronze      v-               0 rows  data/delta-tables/satellite-data-raw',
        '    quarantined none',
        '    lag         n/a',
        '    reconcile   consumed 0 = bronze 0 + decode failures 0: ok; silver 0 = bronze 0 - failed expectations 0 - duplicates 0 - unknown session 0: ok',
        '',
      ].join('\n'),
    );
  });

  it('says by how much a count is off', () => {
    const off = { ...f1, consumed: 1002, tables: f1.tables.map((t) => (t.role === 'silver' ? { ...t, rowsWritten: 954 } : t)) };
    const text = formatSummary({ ...summary, sources: [off] });
    expect(text).toContain('decode failures 10: OFF BY +2;');
    expect(text).toContain('unknown session 5: OFF BY -1');
  });
});

describe('reconcile (property)', () => {
  const counts: fc.Arbitrary<Counts> = fc.record({
    decode: fc.array(fc.nat(1000), { minLength: DECODE_REASONS.length, maxLength: DECODE_REASONS.length }),
    silver: fc.nat(100_000),
    failed: fc.nat(1000),
    dup: fc.nat(1000),
    unknown: fc.nat(1000),
  });
  interface Counts {
    readonly decode: number[];
    readonly silver: number;
    readonly failed: number;
    readonly dup: number;
    readonly unknown: number;
  }
  const source = (c: Counts, consumedDelta = 0, silverDelta = 0): SourceSummary => {
    const decode = c.decode.reduce((a, b) => a + b, 0);
    const bronze = c.silver + c.failed + c.dup + c.unknown;
    const quarantined: Record<string, number> = { EXPECTATION_FAILED: c.failed, DUPLICATE: c.dup, UNKNOWN_SESSION: c.unknown };
    DECODE_REASONS.forEach((r, i) => (quarantined[r] = c.decode[i] as number));
    return {
      source: 'f1',
      consumed: bronze + decode + consumedDelta,
      tables: [
        { role: 'bronze', path: 'b', version: 1, rowsWritten: bronze },
        { role: 'silver', path: 's', version: 1, rowsWritten: c.silver + silverDelta },
        { role: 'quarantine', path: 'q', version: 1, rowsWritten: decode + c.failed + c.dup + c.unknown },
      ],
      quarantined,
      lag: [],
    };
  };

  it('consistent counts reconcile', () => {
    fc.assert(fc.property(counts, (c) => reconcile(source(c)).ok));
  });

  it('any discrepancy is reported with its exact size', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), (c, dc, ds) => {
        const r = reconcile(source(c, dc, ds));
        return r.consumedDiff === dc && r.silverDiff === ds && r.ok === (dc === 0 && ds === 0);
      }),
    );
  });
});
