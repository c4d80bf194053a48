// HPA quantities: reading them with lib/quantity (sign, parse errors, canonical text) and the Go
// `%#v` rendering field.Invalid prints for a bad Quantity (it has no value-receiver String()).
import { QuantityParseError, parseQuantity } from '../../lib/quantity.js';

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

interface Parsed {
  negative: boolean;
  num: string;
  denom: string;
  suffix: string;
}

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

function parse(raw: unknown): Parsed | null {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m || !QUANTITY_RE.test(s) || !validSuffix(m[4] ?? '')) {
    return null;
  }
  return { negative: m[1] === '-', num: m[2] || '0', denom: m[3] ?? '', suffix: m[4] ?? '' };
}

function validSuffix(suffix: string): boolean {
  return suffix in DECIMAL || suffix in BINARY || /^[eE][-+]?[0-9]+$/.test(suffix);
}

/** Sign of a quantity, or the upstream parse error message. */
export function quantitySign(raw: unknown): -1 | 0 | 1 | { error: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { error: 'quantities must be a string or a number' };
  }
  try {
    return parseQuantity(String(raw)).sign();
  } catch (e) {
    if (e instanceof QuantityParseError) {
      return { error: e.message };
    }
    throw e;
  }
}

/** The canonical text Kubernetes stores for a quantity; unparsable values are left as given. */
export function canonicalQuantity(raw: unknown): unknown {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return raw;
  }
  try {
    return parseQuantity(String(raw)).toString();
  } catch (e) {
    if (e instanceof QuantityParseError) {
      return typeof raw === 'number' ? String(raw) : raw;
    }
    throw e;
  }
}

function dump(value: bigint, scale: number, s: string, format: string): string {
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:"${format}"}`;
}

interface FastPath {
  value: bigint;
  scale: number;
  canonical: boolean;
  format: string;
}

/** ParseQuantity's int64 fast path, or null when upstream would fall back to inf.Dec. */
function fastPath(q: Parsed): FastPath | null {
  const binary = BINARY[q.suffix];
  if (binary !== undefined) {
    const precision = 15 - q.num.length - Math.trunc((binary * 3) / 10) - 1;
    if (q.denom.length > 0 || precision < 0) {
      return null;
    }
    const value = BigInt(q.num) << BigInt(binary);
    const canonical = binary % 10 === 0 && (BigInt(q.num) & 7n) !== 0n;
    return { value, scale: 0, canonical, format: 'BinarySI' };
  }
  const decimal = DECIMAL[q.suffix];
  const exponent = decimal ?? Number(q.suffix.slice(1));
  const digits = q.num + q.denom;
  const scale = exponent - q.denom.length;
  if (18 - digits.length < 0 || scale < -9) {
    return null;
  }
  const canonical = scale % 3 === 0 && !digits.endsWith('000') && !digits.startsWith('0');
  const format = decimal === undefined ? 'DecimalExponent' : 'DecimalSI';
  return { value: BigInt(digits), scale, canonical, format };
}

const INT64_MAX = 9223372036854775807n;

/**
 * The `%#v` text of a parsed Quantity, following ParseQuantity's int64 fast path; values that
 * would need its inf.Dec path fall back to the quoted input.
 */
export function goQuantity(raw: unknown): string {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (text === '0') {
    return dump(0n, 0, '0', 'DecimalSI');
  }
  const q = parse(raw);
  const fast = q ? fastPath(q) : null;
  if (!q || !fast || fast.value > INT64_MAX) {
    return JSON.stringify(text);
  }
  const value = q.negative ? -fast.value : fast.value;
  return dump(value, fast.scale, fast.canonical ? text : '', fast.format);
}
