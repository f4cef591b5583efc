import { f1EventSuite, satelliteSuite } from '@lakestream/quality';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decides, freshnessRule, isFresh } from './index.js';

describe('silver verdict rules', () => {
  it('only row-local error expectations decide a row: never unique, increasing, aggregates, freshness or warn', () => {
    for (const suite of [f1EventSuite('tire'), satelliteSuite()]) {
      const deciding = suite.expectations.filter(decides).map((e) => e.type);
      expect(deciding.length).toBeGreaterThan(5);
      for (const t of ['expect_column_values_to_be_unique', 'expect_compound_columns_to_be_unique', 'expect_column_values_to_be_increasing', 'expect_column_values_to_be_fresh', 'expect_column_values_to_be_of_type']) {
        expect(deciding).not.toContain(t);
      }
      expect(suite.expectations.filter((e) => e.severity === 'warn').some(decides)).toBe(false);
    }
  });

  it('freshness is judged against the record’s Kafka time: inside [t − max age, t + max future] (fast-check)', () => {
    const rule = freshnessRule(f1EventSuite('position'));
    expect(rule?.name).toMatch(/^event_time_ns/);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -3e7, max: 3e7 }), (kafkaMs, delta) => {
        const r = rule!;
        expect(isFresh(r, kafkaMs + delta, kafkaMs)).toBe(delta >= -r.maxAgeMs && delta <= r.maxFutureMs);
      }),
    );
  });
});
