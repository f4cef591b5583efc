/**
 * Java's `Double.toString` / `Float.toString` (JDK 19+, shortest digits that
 * round-trip), which is how Spark serializes double and float partition
 * values (`1.0`, `-0.0`, `1.0E21`, `1.0E-4`, `NaN`, `Infinity`):
 *
 * - NaN, `Infinity`, `-Infinity`; zero is `0.0` / `-0.0`;
 * - 10^-3 ≤ |x| < 10^7: plain decimal with at least one fractional digit;
 * - otherwise "computerized scientific notation": one digit, `.`, at least
 *   one more digit, `E`, the exponent (`-` only when negative).
 *
 * The digits are the shortest that identify the value in its own width
 * (JavaScript's `Number#toString` for doubles; for floats the shortest
 * precision whose value rounds back to the same float32).
 */

/** `Double.toString(x)`. */
export function javaDoubleString(x: number): string {
  return javaFormat(x, javaDigits(x, (d) => d === x));
}

/** `Float.toString(x)` for a value that is a float32 (`Math.fround(x) === x`); other values are rounded to float32 first. */
export function javaFloatString(value: number): string {
  const x = Math.fround(value);
  if (!Number.isFinite(x) || x === 0) return javaFormat(x, { digits: '0', exponent: 0 });
  let shortest = Number(x.toPrecision(9)); // 9 significant digits always identify a float32
  for (let precision = 1; precision < 9; precision++) {
    const candidate = Number(x.toPrecision(precision));
    if (Math.fround(candidate) === x) {
      shortest = candidate;
      break;
    }
  }
  return javaFormat(x, javaDigits(shortest, (d) => Math.fround(d) === x, x));
}

/**
 * The digits Java selects: the shortest decimal that rounds to the value;
 * when that is a single digit, the closest decimal of one or two digits
 * that does (Java prints at least two: `4.9E-324`, not `5.0E-324`).
 * `shortest` is the shortest decimal (as a double), `exact` the value.
 */
function javaDigits(shortest: number, roundsBack: (d: number) => boolean, exact: number = shortest): Digits {
  const digits = shortestDigits(shortest);
  if (digits.digits.length !== 1 || !Number.isFinite(exact) || exact === 0) return digits;
  const [mantissa = '0', exp = '0'] = Math.abs(exact).toExponential(1).split('e'); // the closest two-digit decimal
  if (!roundsBack(Math.sign(exact) * Number(`${mantissa}e${exp}`))) return digits;
  return { digits: mantissa.replace('.', '').replace(/(?<=.)0$/, ''), exponent: Number(exp) };
}

interface Digits {
  /** Significant digits without leading/trailing zeros (at least one digit). */
  readonly digits: string;
  /** Decimal exponent of the first digit: value = d.ddd × 10^exponent. */
  readonly exponent: number;
}

function shortestDigits(x: number): Digits {
  if (!Number.isFinite(x) || x === 0) return { digits: '0', exponent: 0 };
  const [mantissa = '0', exp = '0'] = Math.abs(x).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exp) };
}

function javaFormat(x: number, { digits, exponent }: Digits): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  }
  const rest = digits.slice(1);
  return `${sign}${digits[0] ?? '0'}.${rest === '' ? '0' : rest}E${exponent}`;
}
