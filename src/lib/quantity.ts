// Kubernetes resource.Quantity: parsing, canonical printing and comparison, held as an exact
// decimal (bigint × 10^scale). Behaviour follows apimachinery pkg/api/resource (v0.32); own code.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const MESSAGES = {
  ErrFormatWrong: `quantities must match the regular expression '${SPLIT_RE}'`,
  ErrNumeric: 'unable to parse numeric part of quantity',
  ErrSuffix: "unable to parse quantity's suffix",
} as const;

/** A quantity string that Kubernetes would reject; `code` names the upstream error. */
export class QuantityParseError extends Error {
  readonly code: keyof typeof MESSAGES;

  constructor(code: keyof typeof MESSAGES) {
    super(MESSAGES[code]);
    this.name = 'QuantityParseError';
    this.code = code;
  }
}

const NANO = -9;
const MAX_INT64 = 2n ** 63n - 1n;

const DECIMAL_SUFFIXES: Record<string, number> = {
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
const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const signOf = (n: bigint): -1 | 0 | 1 => (n > 0n ? 1 : n < 0n ? -1 : 0);
const digitCount = (n: bigint): number => (n === 0n ? 0 : abs(n).toString().length);

/** n / 10^shift, rounded away from zero (upstream rounds magnitudes up). */
function divideRoundingUp(n: bigint, shift: number): bigint {
  if (shift <= 0) {
    return n;
  }
  if (shift > digitCount(n)) {
    return BigInt(signOf(n));
  }
  const divisor = 10n ** BigInt(shift);
  const q = n / divisor;
  return n % divisor === 0n ? q : q + BigInt(signOf(n));
}

/** Strips factors of `base` from n, returning the rest and how many were removed. */
function removeFactors(n: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (n !== 0n && n % base === 0n) {
    n /= base;
    times++;
  }
  return [n, times];
}

/** An immutable Kubernetes quantity. */
export class Quantity {
  /** The value is unscaled × 10^scale. */
  private readonly unscaled: bigint;
  private readonly scale: number;
  readonly format: QuantityFormat;
  /** The text as given, kept when it already was canonical (as upstream does). */
  private readonly text: string | undefined;

  constructor(unscaled: bigint, scale: number, format: QuantityFormat, text?: string) {
    this.unscaled = unscaled;
    this.scale = scale;
    this.format = format;
    this.text = text;
  }

  /** The value in base units, rounded away from zero (Value()). */
  value(): number {
    return this.scaledValue(0);
  }

  /** The value in thousandths, rounded away from zero (MilliValue()). */
  milliValue(): number {
    return this.scaledValue(-3);
  }

  /** The value in units of 10^scale, rounded away from zero (ScaledValue()). */
  scaledValue(scale: number): number {
    const shift = this.scale - scale;
    if (shift > 400) {
      return this.sign() * Infinity;
    }
    return Number(
      shift >= 0 ? this.unscaled * 10n ** BigInt(shift) : divideRoundingUp(this.unscaled, -shift),
    );
  }

  /** A float close to the value, for ratios (AsApproximateFloat64()). */
  asApproximateFloat64(): number {
    return Number(this.unscaled) * 10 ** this.scale;
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.unscaled);
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than other. */
  compare(other: Quantity): -1 | 0 | 1 {
    const [a, b] = [this.sign(), other.sign()];
    if (a !== b || a === 0) {
      return a < b ? -1 : a > b ? 1 : 0;
    }
    // Decide by order of magnitude first so huge exponents never expand into huge bigints.
    const orderA = digitCount(this.unscaled) + this.scale;
    const orderB = digitCount(other.unscaled) + other.scale;
    if (Math.abs(orderA - orderB) > 1) {
      return orderA > orderB ? a : (-a as -1 | 1);
    }
    const [x, y] = Quantity.align(this, other);
    return signOf(x - y);
  }

  /** this + other; the format is this one's unless this is zero (Add()). */
  add(other: Quantity): Quantity {
    const [x, y, scale] = Quantity.align(this, other);
    return new Quantity(x + y, scale, this.isZero() ? other.format : this.format);
  }

  /** this - other; the format is this one's unless this is zero (Sub()). */
  sub(other: Quantity): Quantity {
    return this.add(new Quantity(-other.unscaled, other.scale, other.format));
  }

  /** The canonical form (`100m`, `128Mi`, `1500m`, `1k`, `12e6`). */
  toString(): string {
    if (this.text !== undefined) {
      return this.text;
    }
    if (this.isZero()) {
      return '0';
    }
    const whole = this.format === 'BinarySI' ? this.binaryWhole() : undefined;
    if (whole !== undefined) {
      const [mantissa, times] = removeFactors(whole, 1024n);
      return `${mantissa}${BINARY_BY_EXPONENT.get(times * 10) ?? ''}`;
    }
    const [mantissa, exponent] = canonicalDecimal(this.unscaled, this.scale);
    const suffix =
      this.format === 'DecimalExponent'
        ? exponent === 0
          ? ''
          : `e${exponent}`
        : (DECIMAL_BY_EXPONENT.get(exponent) ?? '');
    return `${mantissa}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Both unscaled values brought to the smaller of the two scales. */
  private static align(a: Quantity, b: Quantity): [bigint, bigint, number] {
    const scale = Math.min(a.scale, b.scale);
    const x = a.unscaled * 10n ** BigInt(a.scale - scale);
    return [x, b.unscaled * 10n ** BigInt(b.scale - scale), scale];
  }

  /** The integer value when it may take a binary suffix: whole and at least 1024 in magnitude. */
  private binaryWhole(): bigint | undefined {
    if (this.compare(KIBI) < 0 && this.compare(MINUS_KIBI) > 0) {
      return undefined;
    }
    if (this.scale >= 0) {
      return this.unscaled * 10n ** BigInt(this.scale);
    }
    const divisor = 10n ** BigInt(-this.scale);
    return this.unscaled % divisor === 0n ? this.unscaled / divisor : undefined;
  }
}

const KIBI = new Quantity(1024n, 0, 'DecimalSI');
const MINUS_KIBI = new Quantity(-1024n, 0, 'DecimalSI');

/** Drops trailing zeros, then lowers the exponent to a multiple of three. */
function canonicalDecimal(unscaled: bigint, scale: number): [bigint, number] {
  const [rest, times] = removeFactors(unscaled, 10n);
  let mantissa = rest;
  let exponent = scale + times;
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  return [mantissa, exponent];
}

interface QuantityParts {
  isPositive: boolean;
  /** The numeric text including sign, before the suffix. */
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The index of the first character at or after pos that is not a digit. */
function skipDigits(str: string, pos: number): number {
  while (isDigit(str[pos])) {
    pos++;
  }
  return pos;
}

/** Splits `-1.5Gi` into sign, integer digits, fraction digits and suffix (parseQuantityString). */
function splitQuantity(str: string): QuantityParts {
  const isPositive = str[0] !== '-';
  let pos = str[0] === '-' || str[0] === '+' ? 1 : 0;
  while (str[pos] === '0') {
    pos++;
  }
  if (pos >= str.length) {
    return { isPositive, value: '0', num: '0', denom: '', suffix: '' };
  }
  const numEnd = skipDigits(str, pos);
  const num = numEnd > pos ? str.slice(pos, numEnd) : '0';
  pos = numEnd;
  let denom = '';
  if (str[pos] === '.') {
    pos = skipDigits(str, pos + 1);
    denom = str.slice(numEnd + 1, pos);
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str.charAt(pos))) {
    pos++;
  }
  pos = skipDigits(str, str[pos] === '-' || str[pos] === '+' ? pos + 1 : pos);
  if (pos < str.length) {
    throw new QuantityParseError('ErrFormatWrong');
  }
  return { isPositive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix {
  const decimal = Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIXES, suffix)
    ? DECIMAL_SUFFIXES[suffix]
    : undefined;
  if (decimal !== undefined) {
    return { base: 10, exponent: decimal, format: 'DecimalSI' };
  }
  const binary = Object.prototype.hasOwnProperty.call(BINARY_SUFFIXES, suffix)
    ? BINARY_SUFFIXES[suffix]
    : undefined;
  if (binary !== undefined) {
    return { base: 2, exponent: binary, format: 'BinarySI' };
  }
  const digits = suffix.slice(1);
  if (
    suffix.length > 1 &&
    (suffix[0] === 'e' || suffix[0] === 'E') &&
    /^[+-]?[0-9]+$/.test(digits)
  ) {
    const n = BigInt(digits);
    if (n <= MAX_INT64 && n >= -MAX_INT64 - 1n) {
      // Upstream keeps the exponent in an int32.
      return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
    }
  }
  throw new QuantityParseError('ErrSuffix');
}

/** Whether upstream parses this on its int64 fast path (otherwise through inf.Dec). */
function isFastPath({ num, denom }: QuantityParts, suffix: Suffix): boolean {
  if (suffix.format === 'BinarySI') {
    return denom === '' && 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1 >= 0;
  }
  return 18 - num.length - denom.length >= 0 && suffix.exponent - denom.length >= NANO;
}

/**
 * Upstream keeps the input text as the canonical form when it parsed on the int64 fast path
 * and was already canonical ("100m", "1Gi"); anything else is re-rendered on output.
 */
function keptText(str: string, parts: QuantityParts, suffix: Suffix): string | undefined {
  if (!isFastPath(parts, suffix)) {
    return undefined;
  }
  const shifted = parts.num + parts.denom;
  if (suffix.format === 'BinarySI') {
    return suffix.exponent % 10 === 0 && (BigInt(shifted) & 7n) !== 0n ? str : undefined;
  }
  const scale = suffix.exponent - parts.denom.length;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined;
}

/** resource.ParseQuantity; throws QuantityParseError with the upstream message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) {
    throw new QuantityParseError('ErrFormatWrong');
  }
  if (str === '0') {
    return new Quantity(0n, 0, 'DecimalSI', str);
  }
  const parts = splitQuantity(str);
  const suffix = interpretSuffix(parts.suffix);
  if (!isFastPath(parts, suffix) && !/[0-9]/.test(parts.value)) {
    throw new QuantityParseError('ErrNumeric');
  }
  let magnitude = BigInt(parts.num + parts.denom);
  let scale = -parts.denom.length;
  if (suffix.base === 10) {
    scale += suffix.exponent;
  } else {
    magnitude <<= BigInt(suffix.exponent);
  }
  if (scale < NANO) {
    magnitude = divideRoundingUp(magnitude, NANO - scale);
    scale = NANO;
  }
  const format = suffix.format === 'BinarySI' ? binaryFormat(magnitude, scale) : suffix.format;
  if (format === 'BinarySI' && magnitude > MAX_INT64 * 10n ** BigInt(-scale)) {
    [magnitude, scale] = [MAX_INT64, 0];
  }
  const unscaled = parts.isPositive ? magnitude : -magnitude;
  return new Quantity(unscaled, scale, format, keptText(str, parts, suffix));
}

/** A binary quantity strictly between zero and one has no binary form and becomes DecimalSI. */
function binaryFormat(magnitude: bigint, scale: number): QuantityFormat {
  const isFraction = magnitude > 0n && scale < 0 && magnitude < 10n ** BigInt(-scale);
  return isFraction ? 'DecimalSI' : 'BinarySI';
}

/** A quantity of whole base units (resource.NewQuantity). */
export function newQuantity(value: number | bigint, format: QuantityFormat): Quantity {
  return new Quantity(BigInt(value), 0, format);
}

/** A quantity of thousandths (resource.NewMilliQuantity). */
export function newMilliQuantity(milli: number | bigint, format: QuantityFormat): Quantity {
  return new Quantity(BigInt(milli), -3, format);
}

/** Millicores as metrics print them: `37m`, `1`, `1500m`; fractions round up. */
export function formatMilliCpu(milli: number): string {
  return newMilliQuantity(Math.ceil(milli), 'DecimalSI').toString();
}

/** Bytes as metrics print them: `5120Ki`, `128Mi`, `1000`; fractions round up. */
export function formatBytes(bytes: number, format: QuantityFormat = 'BinarySI'): string {
  return newQuantity(Math.ceil(bytes), format).toString();
}
