import { describe, expect, it } from 'vitest';
import type { Suite } from './expectation.js';
import { stableJson, suiteHash } from './suite-hash.js';

const suite: Suite = {
  name: 'f1.silver',
  expectations: [
    { type: 'expect_column_values_to_not_be_null', column: 'event_id' },
    { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400 },
  ],
};

describe('suiteHash', () => {
  it('is hex SHA-256, stable across calls', () => {
    expect(suiteHash(suite)).toMatch(/^[0-9a-f]{64}$/);
    expect(suiteHash(suite)).toBe(suiteHash(structuredClone(suite)));
  });

  it('does not change when object keys are reordered at any depth', () => {
    const reordered: Suite = {
      expectations: [
        { column: 'event_id', type: 'expect_column_values_to_not_be_null' },
        { max_value: 400, min_value: 0, column: 'speed_kph', type: 'expect_column_values_to_be_between' },
      ],
      name: 'f1.silver',
    };
    expect(suiteHash(reordered)).toBe(suiteHash(suite));
  });

  it('changes when expectations are reordered, a bound changes, or the name changes', () => {
    const h = suiteHash(suite);
    expect(suiteHash({ ...suite, expectations: [...suite.expectations].reverse() })).not.toBe(h);
    expect(
      suiteHash({
        ...suite,
        expectations: [{ type: 'expect_column_values_to_not_be_null', column: 'event_id' }, { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 401 }],
      }),
    ).not.toBe(h);
    expect(suiteHash({ ...suite, name: 'f1.silver.v2' })).not.toBe(h);
  });

  it('leaves undefined members out, as JSON does', () => {
    expect(stableJson({ b: 1, a: undefined, c: [undefined, { z: 1, y: 2 }] })).toBe('{"b":1,"c":[null,{"y":2,"z":1}]}');
  });
});
