import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holds, parseCondition, testStatus } from './conditions.js';
import { durationSeconds, freshnessStatus } from './freshness.js';
import { planIncremental } from './incremental.js';
import { resultLine, startLine } from './progress.js';

describe('warn_if / error_if', () => {
  it('parses dbt conditions', () => {
    expect(parseCondition('!=0')).toEqual({ op: '!=', value: 0 });
    expect(parseCondition(' > 10 ')).toEqual({ op: '>', value: 10 });
    expect(parseCondition('<>3')).toEqual({ op: '!=', value: 3 });
    expect(parseCondition('==2')).toEqual({ op: '=', value: 2 });
    expect(() => parseCondition('> ten')).toThrow(/invalid test condition/);
  });

  it('property: conditions agree with arithmetic; status follows severity', () => {
    const ops = ['!=', '=', '>', '>=', '<', '<='] as const;
    fc.assert(fc.property(fc.constantFrom(...ops), fc.nat(50), fc.nat(50), (op, v, failures) => {
      const expected = { '!=': failures !== v, '=': failures === v, '>': failures > v, '>=': failures >= v, '<': failures < v, '<=': failures <= v }[op];
      expect(holds(parseCondition(`${op}${v}`), failures)).toBe(expected);
      const warnOnly = testStatus('warn', `${op}${v}`, '!=0', failures);
      expect(warnOnly).not.toBe('fail');
      expect(warnOnly === 'warn').toBe(expected);
      if (failures > 0) expect(testStatus('error', '!=0', '!=0', failures)).toBe('fail');
      else expect(testStatus('error', '!=0', '!=0', failures)).toBe('pass');
    }));
    expect(testStatus('error', '!=0', '>10', 5)).toBe('warn');
    expect(testStatus('error', '!=0', '>10', 11)).toBe('fail');
  });
});

describe('incremental decision', () => {
  it('property: no-op only when every source is at its stored version; full without a gold table, on --full-refresh, or a missing/too new stored version', () => {
    const src = fc.record({ appId: fc.string({ minLength: 1, maxLength: 4 }), stored: fc.option(fc.nat(5), { nil: undefined }), current: fc.nat(5) });
    fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.array(src, { maxLength: 3 }), (exists, refresh, sources) => {
      const p = planIncremental(exists, refresh, sources);
      const broken = sources.some((s) => s.stored === undefined || s.stored > s.current);
      if (!exists || refresh || broken) expect(p.mode).toBe('full');
      else if (sources.length > 0 && sources.every((s) => s.stored === s.current)) expect(p.mode).toBe('noop');
      else expect(p.mode).toBe('incremental');
    }));
  });
});

describe('freshness', () => {
  it('follows warn_after / error_after', () => {
    const criteria = { warnAfter: { count: 1, period: 'hour' as const }, errorAfter: { count: 1, period: 'day' as const } };
    expect(durationSeconds({ count: 2, period: 'minute' })).toBe(120);
    expect(freshnessStatus(3599, criteria)).toBe('pass');
    expect(freshnessStatus(3601, criteria)).toBe('warn');
    expect(freshnessStatus(86_401, criteria)).toBe('error');
    expect(freshnessStatus(1e9, {})).toBe('pass');
  });
});

describe('progress lines', () => {
  it('look like dbt\'s', () => {
    expect(startLine(1, 7, 'sql table model gold.lap_metrics')).toMatch(/^1 of 7 START sql table model gold\.lap_metrics \.{3,} \[RUN\]$/);
    expect(resultLine(1, 7, 'ok', 'sql table model gold.lap_metrics', { message: 'CREATE TABLE 1234', ms: 520 })).toMatch(/^1 of 7 OK created sql table model gold\.lap_metrics \.+ \[CREATE TABLE 1234 in 0\.52s\]$/);
    expect(resultLine(3, 7, 'fail', 'unique_x', { failures: 2, ms: 40 })).toMatch(/^3 of 7 FAIL 2 unique_x \.+ \[FAIL 2 in 0\.04s\]$/);
    expect(resultLine(4, 7, 'skip', 'relation gold.s')).toMatch(/^4 of 7 SKIP relation gold\.s \.+ \[SKIP\]$/);
  });
});
