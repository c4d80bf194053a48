// Decoding checks Kubernetes' Go types apply to strings, with their exact error texts:
// resource.Quantity parsing and []byte base64 decoding.

const QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX = "unable to parse quantity's suffix";
const SUFFIX_CHARS = 'eEinumkKMGTP';
const KNOWN_SUFFIXES = new Set([
  '',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'Ei',
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The error resource.ParseQuantity gives for a string, or undefined when it parses. */
export function quantityError(raw: string): string | undefined {
  const s = raw.trim();
  if (s === '') {
    return QUANTITY_FORMAT;
  }
  const suffix = quantitySuffix(s);
  if (suffix === undefined) {
    return QUANTITY_FORMAT;
  }
  return validSuffix(suffix) ? undefined : QUANTITY_SUFFIX;
}

// Mirrors the scanner of resource.parseQuantityString: sign, digits, optional fraction, then a
// suffix of suffix characters, an optional sign and digits. Returns the suffix, or undefined
// when the text does not have that shape.
function quantitySuffix(s: string): string | undefined {
  let pos = s[0] === '-' || s[0] === '+' ? 1 : 0;
  while (isDigit(s[pos])) {
    pos++;
  }
  if (s[pos] === '.') {
    pos++;
    while (isDigit(s[pos])) {
      pos++;
    }
  }
  const start = pos;
  while (pos < s.length && SUFFIX_CHARS.includes(s.charAt(pos))) {
    pos++;
  }
  if (s[pos] === '-' || s[pos] === '+') {
    pos++;
  }
  while (isDigit(s[pos])) {
    pos++;
  }
  return pos === s.length ? s.slice(start) : undefined;
}

function validSuffix(suffix: string): boolean {
  if (KNOWN_SUFFIXES.has(suffix)) {
    return true;
  }
  return /^[eE][+-]?\d+$/.test(suffix);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const NEWLINE = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;

/**
 * The error Go's base64.StdEncoding gives for a string (`illegal base64 data at input byte 4`),
 * or undefined when it decodes. Offsets count UTF-8 bytes, as Go does.
 */
export function base64Error(s: string): string | undefined {
  const src = Buffer.from(s, 'utf8');
  let si = 0;
  while (si < src.length) {
    const r = decodeQuantum(src, si);
    if (r.error !== undefined) {
      return `illegal base64 data at input byte ${r.error}`;
    }
    si = r.next;
  }
  return undefined;
}

// One 4-character quantum, following encoding/base64's decodeQuantum for padded encodings.
function decodeQuantum(src: Buffer, start: number): { next: number; error?: number } {
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      return j === 0 ? { next: si } : { next: si, error: si - j };
    }
    const b = src[si] ?? 0;
    si++;
    if (BASE64.includes(String.fromCharCode(b)) && b < 0x80) {
      continue;
    }
    if (NEWLINE(b)) {
      j--;
      continue;
    }
    if (b !== 0x3d || j < 2) {
      return { next: si, error: si - 1 };
    }
    return paddingEnd(src, si, j);
  }
  return { next: si };
}

// A '=' was read as character j (2 or 3) of a quantum: check the padding and that nothing follows.
function paddingEnd(src: Buffer, afterPad: number, j: number): { next: number; error?: number } {
  let si = afterPad;
  if (j === 2) {
    while (NEWLINE(src[si])) {
      si++;
    }
    if (si === src.length) {
      return { next: si, error: src.length };
    }
    if (src[si] !== 0x3d) {
      return { next: si, error: si - 1 };
    }
    si++;
  }
  while (NEWLINE(src[si])) {
    si++;
  }
  return si < src.length ? { next: si, error: si } : { next: si };
}
