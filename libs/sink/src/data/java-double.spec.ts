import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaDoubleString, javaFloatString } from './java-double.js';

/** Outputs of Java 21's Double.toString / Float.toString (what Spark writes into partitionValues). */
const JAVA_DOUBLE: readonly (readonly [number, string])[] = [
  [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
  [1e21, '1.0E21'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1e7, '1.0E7'], [9999999, '9999999.0'], [123456789, '1.23456789E8'],
  [0.1, '0.1'], [100, '100.0'], [1.5, '1.5'], [-2.5, '-2.5'], [12345.678, '12345.678'], [0.1 + 0.2, '0.30000000000000004'],
  [Number.MAX_VALUE, '1.7976931348623157E308'], [Number.MIN_VALUE, '4.9E-324'], [2 ** 53, '9.007199254740992E15'],
  [1e-5, '1.0E-5'], [-1.25e-10, '-1.25E-10'], [0.00123, '0.00123'], [1234567.0, '1234567.0'], [1e100, '1.0E100'], [3.14159, '3.14159'],
];
const JAVA_FLOAT: readonly (readonly [number, string])[] = [
  [0.1, '0.1'], [0.7, '0.7'], [1.1, '1.1'], [1e10, '1.0E10'], [3.4028234663852886e38, '3.4028235E38'], [1.401298464324817e-45, '1.4E-45'],
  [16777216, '1.6777216E7'], [-0, '-0.0'], [NaN, 'NaN'], [-Infinity, '-Infinity'], [1, '1.0'], [0.001, '0.001'], [1e-4, '1.0E-4'], [123.456, '123.456'],
];

/** Java's grammar: plain decimal inside [1e-3, 1e7), computerized scientific notation outside. */
const PLAIN = /^-?(0|[1-9]\d*)\.\d+$/;
const SCIENTIFIC = /^-?[1-9]\.\d+E-?[1-9]\d*$/;

function checkShape(text: string, value: number): void {
  const abs = Math.abs(value);
  if (!Number.isFinite(value)) expect(text).toMatch(/^(NaN|-?Infinity)$/);
  else if (abs >= 1e-3 && abs < 1e7) expect(text).toMatch(PLAIN);
  else if (abs !== 0) expect(text).toMatch(SCIENTIFIC);
  expect(text).not.toMatch(/\.\d*[1-9]0+(E|$)/); // no trailing zeros but the lone one Java keeps (`1.0`)
}

describe('Java Double.toString / Float.toString (#8.13b)', () => {
  it('matches known Java outputs', () => {
    for (const [x, java] of JAVA_DOUBLE) expect(javaDoubleString(x), String(x)).toBe(java);
    for (const [x, java] of JAVA_FLOAT) expect(javaFloatString(x), String(x)).toBe(java);
  });

  it('doubles: Java grammar, shortest digits, parse back to the same value', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const text = javaDoubleString(x);
        expect(Object.is(Number(text), x)).toBe(true);
        checkShape(text, x);
        // Same significant digits as JavaScript's shortest round-trip form, except that where that is one
        // digit Java picks the closest decimal of one or two digits (4.9E-324 for 5e-324).
        const digits = (s: string): string => s.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        const shortest = Number.isFinite(x) && x !== 0 ? digits(Math.abs(x).toExponential()) : '';
        if (shortest.length > 1) expect(digits(text)).toBe(shortest);
        else if (shortest.length === 1) expect(digits(text).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });

  it('floats: Java grammar, parse back to the same float32 with at most 9 significant digits', () => {
    fc.assert(
      fc.property(fc.float(), (f) => {
        const text = javaFloatString(f);
        expect(Object.is(Math.fround(Number(text)), f)).toBe(true);
        checkShape(text, f);
        expect(text.replace(/^-/, '').replace(/E.*$/, '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 2000 },
    );
  });
});
