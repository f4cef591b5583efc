/**
 * dbt's `warn_if` / `error_if` conditions on a test's failure count:
 * `!=0` (default), `>10`, `>= 5`, `<3`, `<=3`, `=0`, `==0`. Pure.
 */
import { RunError } from '../errors.js';

export type Comparison = { readonly op: '!=' | '=' | '>' | '>=' | '<' | '<='; readonly value: number };

const PATTERN = /^\s*(!=|<>|==|=|>=|<=|>|<)\s*(\d+)\s*$/;

export function parseCondition(text: string, context: { node?: string } = {}): Comparison {
  const m = PATTERN.exec(text);
  if (!m) throw new RunError('SQL_FAILED', `invalid test condition ${JSON.stringify(text)} (expected e.g. "!=0" or ">10")`, context);
  const raw = m[1] ?? '!=';
  const op = raw === '<>' ? '!=' : raw === '==' ? '=' : (raw as Comparison['op']);
  return { op, value: Number(m[2]) };
}

export function holds(c: Comparison, failures: number): boolean {
  switch (c.op) {
    case '!=': return failures !== c.value;
    case '=': return failures === c.value;
    case '>': return failures > c.value;
    case '>=': return failures >= c.value;
    case '<': return failures < c.value;
    case '<=': return failures <= c.value;
  }
}

export type TestStatus = 'pass' | 'warn' | 'fail';

/** dbt's rule: severity error and error_if holds → fail; else warn_if holds → warn; else pass. */
export function testStatus(severity: 'warn' | 'error', warnIf: string, errorIf: string, failures: number): TestStatus {
  if (severity === 'error' && holds(parseCondition(errorIf), failures)) return 'fail';
  if (holds(parseCondition(warnIf), failures)) return 'warn';
  return 'pass';
}
