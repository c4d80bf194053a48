// int64 milli-values as BigInt (Quantity.MilliValue()), Go's int64/int32 saturation and float
// conversions, and the status quantities the controller writes (resource.NewMilliQuantity).
import type { Quantity } from '../apis/autoscaling/types.js';
import type { QuantityFormat } from '../lib/quantity.js';
import { newMilliQuantity, parseQuantity } from '../lib/quantity.js';

/** math.MaxInt64 */
export const INT64_MAX = 2n ** 63n - 1n;
/** math.MinInt64 */
export const INT64_MIN = -(2n ** 63n);
/** math.MaxInt32 */
export const INT32_MAX = 2 ** 31 - 1;
/** math.MinInt32 */
export const INT32_MIN = -(2 ** 31);

const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Caps a BigInt to the int64 range. */
export function clampInt64(n: bigint): bigint {
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

/** Go's int64 addition (wraps on overflow). */
export function addInt64Wrapping(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a + b);
}

/** int32(x) for a float that upstream already ceiled; out-of-range values saturate, NaN is 0. */
export function toInt32(x: number): number {
  if (Number.isNaN(x)) {
    return 0;
  }
  if (x >= INT32_MAX) {
    return INT32_MAX;
  }
  return x <= INT32_MIN ? INT32_MIN : Math.trunc(x);
}

/** int32(math.Ceil(x)), saturating. */
export function ceilInt32(x: number): number {
  return toInt32(Math.ceil(x));
}

/** float64(n) for an int64 held as BigInt. */
export function toFloat(n: bigint): number {
  return Number(n);
}

/** n / 10^shift with the remainder rounded away from zero (MilliValue rounds up). */
function divideRoundingUp(n: bigint, divisor: bigint): bigint {
  const q = n / divisor;
  if (n % divisor === 0n) {
    return q;
  }
  return n > 0n ? q + 1n : q - 1n;
}

/** The exponents a quantity suffix stands for: [power of ten, power of two]. */
function suffixExponents(suffix: string): [number, number] {
  const decimal = Object.prototype.hasOwnProperty.call(DECIMAL, suffix)
    ? DECIMAL[suffix]
    : undefined;
  if (decimal !== undefined) {
    return [decimal, 0];
  }
  const binary = Object.prototype.hasOwnProperty.call(BINARY, suffix) ? BINARY[suffix] : undefined;
  return binary !== undefined ? [0, binary] : [Number(suffix.slice(1)), 0];
}

/**
 * Quantity.MilliValue() as an exact int64 BigInt (sub-milli remainders round away from zero).
 * Values beyond int64 saturate. Throws QuantityParseError for text Kubernetes rejects.
 */
export function milliValue(raw: Quantity): bigint {
  const text = String(raw);
  parseQuantity(text);
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m ?? [];
  const digits = BigInt(`0${whole}${fraction}`);
  const [exp10, exp2] = suffixExponents(suffix);
  const shift = exp10 - fraction.length + 3;
  let magnitude = digits << BigInt(exp2);
  if (magnitude !== 0n && shift > 40) {
    magnitude = INT64_MAX + 1n;
  } else if (shift >= 0) {
    magnitude *= 10n ** BigInt(shift);
  } else {
    magnitude =
      -shift > 60
        ? magnitude === 0n
          ? 0n
          : 1n
        : divideRoundingUp(magnitude, 10n ** BigInt(-shift));
  }
  return clampInt64(sign === '-' ? -magnitude : magnitude);
}

/** The text of resource.NewMilliQuantity(milli, format) (`2867m`, `20`, `5Mi`). */
export function formatMilli(milli: bigint, format: QuantityFormat = 'DecimalSI'): string {
  return newMilliQuantity(milli, format).toString();
}
