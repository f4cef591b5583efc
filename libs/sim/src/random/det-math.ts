/**
 * sin, cos, log and atan2 from +, -, *, / only, so simulated values are
 * bit-identical on every machine and every Node version.
 *
 * Why not Math.sin and friends: ECMAScript leaves them "implementation-
 * approximated". V8 ships software ports (fdlibm, and since 2023 optionally
 * glibc-derived trig), identical across x86 and ARM for one V8 build, but
 * nothing promises the same bits across Node releases. Basic arithmetic is
 * IEEE 754 round-to-nearest by the spec, and Math.round/floor are exact.
 * Math.sqrt is also "implementation-approximated" in the spec, but every
 * engine compiles it to the hardware square root, which IEEE 754 requires to
 * be correctly rounded; we rely on that.
 *
 * Accuracy is a few ulp over the ranges the simulators use (|x| < 1e6),
 * far below the 2-decimal CSV output and the physics noise.
 */

const PI = 3.141592653589793;
const HALF_PI = 1.5707963267948966;
// π/2 split so k * PIO2_HI is exact for the k we meet (Cody-Waite reduction).
const PIO2_HI = 1.5707963267341256;
const PIO2_LO = 6.077100506506192e-11;
const INV_PIO2 = 0.6366197723675814;
const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/** sin(r) for |r| <= π/4: Taylor series to r^17, error < 1e-17. */
function sinKernel(r: number): number {
  const z = r * r;
  return (
    r *
    (1 +
      z *
        (-1 / 6 +
          z *
            (1 / 120 +
              z * (-1 / 5040 + z * (1 / 362880 + z * (-1 / 39916800 + z * (1 / 6227020800 + z * (-1 / 1307674368000 + z / 355687428096000))))))))
  );
}

/** cos(r) for |r| <= π/4: Taylor series to r^18. */
function cosKernel(r: number): number {
  const z = r * r;
  return (
    1 +
    z *
      (-1 / 2 +
        z *
          (1 / 24 +
            z * (-1 / 720 + z * (1 / 40320 + z * (-1 / 3628800 + z * (1 / 479001600 + z * (-1 / 87178291200 + z * (1 / 20922789888000 - z / 6402373705728000))))))))
  );
}

/** Deterministic sine. */
export function sin(x: number): number {
  const k = Math.round(x * INV_PIO2);
  const r = x - k * PIO2_HI - k * PIO2_LO;
  switch (k & 3) {
    case 0:
      return sinKernel(r);
    case 1:
      return cosKernel(r);
    case 2:
      return -sinKernel(r);
    default:
      return -cosKernel(r);
  }
}

/** Deterministic cosine. */
export function cos(x: number): number {
  const k = Math.round(x * INV_PIO2);
  const r = x - k * PIO2_HI - k * PIO2_LO;
  switch (k & 3) {
    case 0:
      return cosKernel(r);
    case 1:
      return -sinKernel(r);
    case 2:
      return -cosKernel(r);
    default:
      return sinKernel(r);
  }
}

// DataView with explicit endianness: exponent extraction is the same on any host.
const view = new DataView(new ArrayBuffer(8));

/** Deterministic natural logarithm for finite x > 0 (NaN otherwise). */
export function log(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? Infinity : NaN;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: lift subnormals
    e = -54;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hi & 0x800fffff) | 0x3ff00000); // same mantissa, exponent 0: m in [1, 2)
  let m = view.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    e += 1;
  }
  // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716
  const s = (m - 1) / (m + 1);
  const z = s * s;
  const series =
    1 + z * (1 / 3 + z * (1 / 5 + z * (1 / 7 + z * (1 / 9 + z * (1 / 11 + z * (1 / 13 + z * (1 / 15 + z * (1 / 17 + z * (1 / 19 + z / 21)))))))));
  return e * LN2 + 2 * s * series;
}

/** atan(t) for |t| <= 1 by two half-angle reductions then a Taylor series. */
function atanUnit(t: number): number {
  // atan(t) = 2 atan(t / (1 + sqrt(1 + t²))), twice: |t| <= tan(π/16) ≈ 0.199
  t = t / (1 + Math.sqrt(1 + t * t));
  t = t / (1 + Math.sqrt(1 + t * t));
  const z = t * t;
  let sum = 0;
  for (let n = 23; n >= 3; n -= 2) sum = (n % 4 === 1 ? 1 : -1) / n + z * sum;
  return 4 * t * (1 + z * sum);
}

/** Deterministic atan2(y, x) in (-π, π]. */
export function atan2(y: number, x: number): number {
  if (x === 0 && y === 0) return 0;
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  let a = ay <= ax ? atanUnit(ay / ax) : HALF_PI - atanUnit(ax / ay);
  if (x < 0) a = PI - a;
  return y < 0 ? -a : a;
}
