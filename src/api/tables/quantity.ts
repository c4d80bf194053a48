// The string form of a resource.Quantity as Go prints it (Quantity.String()), so HPA TARGETS
// cells read `500m` for "0.5" and `1Gi` for "1024Mi", exactly like a real API server.

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
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([k, v]) => [v, k]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIXES).map(([k, v]) => [v, k]));

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  negative: boolean;
  /** Digits before the point, leading zeros stripped. */
  whole: string;
  fraction: string;
  format: Format;
  /** Power of ten for decimal suffixes, power of 1024 for binary ones. */
  exponent: number;
}

const QUANTITY_RE = /^([+-]?)0*(\d*)(?:\.(\d*))?(.*)$/;

function suffixFormat(suffix: string): Pick<Parsed, 'format' | 'exponent'> | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) {
    return { format: 'DecimalSI', exponent: decimal };
  }
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) {
    return { format: 'BinarySI', exponent: binary };
  }
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix)?.[1];
  return exp === undefined ? undefined : { format: 'DecimalExponent', exponent: Number(exp) };
}

function parse(text: string): Parsed | undefined {
  const match = QUANTITY_RE.exec(text);
  const suffix = suffixFormat(match?.[4] ?? '');
  if (!match || !suffix || !/\d/.test(text)) {
    return undefined;
  }
  return {
    negative: match[1] === '-',
    // Go keeps a "0" integer part when every leading digit was a zero ("0.5" -> "0", "5").
    whole: match[2] || '0',
    fraction: match[3] ?? '',
    ...suffix,
  };
}

/**
 * Go's ParseQuantity keeps the caller's text when it is already in canonical shape (a fast path
 * that also keeps a leading `+`); everything else is re-rendered.
 */
function keepsOriginalText(q: Parsed): boolean {
  const digits = q.whole + q.fraction;
  if (q.format === 'BinarySI') {
    const precision = 15 - q.whole.length - Math.trunc((q.exponent * 10 * 3) / 10) - 1;
    return q.fraction === '' && precision >= 0 && (BigInt(q.whole) & 7n) !== 0n;
  }
  const scale = q.exponent - q.fraction.length;
  return (
    18 - digits.length >= 0 &&
    scale >= -9 &&
    scale % 3 === 0 &&
    !digits.endsWith('000') &&
    digits[0] !== '0'
  );
}

function stripFactor(value: bigint, factor: bigint): [bigint, number] {
  let count = 0;
  while (value !== 0n && value % factor === 0n) {
    value /= factor;
    count++;
  }
  return [value, count];
}

function renderDecimal(mantissa: bigint, exponent: number, format: Format): string {
  const [reduced, tens] = stripFactor(mantissa, 10n);
  let amount = reduced;
  let exp = exponent + tens;
  // Canonical exponents are multiples of three, so the mantissa absorbs the rest.
  const extra = ((exp % 3) + 3) % 3;
  amount *= 10n ** BigInt(extra);
  exp -= extra;
  const suffix =
    format === 'DecimalSI' && DECIMAL_BY_EXPONENT.has(exp)
      ? (DECIMAL_BY_EXPONENT.get(exp) ?? '')
      : exp === 0
        ? ''
        : `e${exp}`;
  return `${amount}${suffix}`;
}

function renderBinary(value: bigint): string {
  const [amount, powers] = stripFactor(value, 1024n);
  const capped = Math.min(powers, 6);
  const scaled = amount * 1024n ** BigInt(powers - capped);
  return `${scaled}${BINARY_BY_POWER.get(capped) ?? ''}`;
}

/** Canonical text of a Quantity given as JSON (string or number); unparseable input is returned as-is. */
export function formatQuantity(raw: unknown): string {
  if (raw === undefined || raw === null) {
    return '<nil>';
  }
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (text === '0') {
    return '0';
  }
  const q = parse(text);
  if (!q) {
    return text;
  }
  if (keepsOriginalText(q)) {
    return text;
  }
  return canonical(q);
}

function canonical(q: Parsed): string {
  const digits = BigInt(q.whole + q.fraction);
  // Work in units of 10^-9: Go rounds anything finer than a nano up, away from zero.
  let nanos: bigint;
  if (q.format === 'BinarySI') {
    nanos = ceilDiv(
      digits * 1024n ** BigInt(q.exponent) * 10n ** 9n,
      10n ** BigInt(q.fraction.length),
    );
  } else {
    const shift = q.exponent - q.fraction.length + 9;
    nanos = shift >= 0 ? digits * 10n ** BigInt(shift) : ceilDiv(digits, 10n ** BigInt(-shift));
  }
  if (nanos === 0n) {
    return '0';
  }
  const sign = q.negative ? '-' : '';
  const units = 10n ** 9n;
  const isWhole = nanos % units === 0n;
  if (q.format === 'BinarySI' && nanos >= 1024n * units && isWhole) {
    return sign + renderBinary(nanos / units);
  }
  const format = q.format === 'BinarySI' ? 'DecimalSI' : q.format;
  return sign + renderDecimal(nanos, -9, format);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
