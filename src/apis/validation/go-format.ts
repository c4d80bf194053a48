// Renders values the way Go's fmt prints them in Kubernetes field errors (`%q`, `%#v`), so
// messages such as `Invalid value: map[string]string{"app":"x"}: ...` match upstream byte for byte.

/** A value already rendered in Go syntax (a struct literal, a typed nil); printed verbatim. */
export class GoRepr {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Wraps pre-rendered Go syntax so field errors print it as is. */
export function goRepr(text: string): GoRepr {
  return new GoRepr(text);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function escapeRune(ch: string): string {
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) {
    return simple;
  }
  const cp = ch.codePointAt(0) ?? 0;
  // Go keeps printable runes; control and format characters are escaped by width.
  if (cp < 0x20 || cp === 0x7f) {
    return `\\x${cp.toString(16).padStart(2, '0')}`;
  }
  if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || /\p{C}|\p{Z}/u.test(ch)) {
    if (ch === ' ') {
      return ch;
    }
    return cp > 0xffff
      ? `\\U${cp.toString(16).padStart(8, '0')}`
      : `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return ch;
}

/** Go's `%q` (strconv.Quote) of a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    out += escapeRune(ch);
  }
  return `${out}"`;
}

/** `map[string]string{"a":"b", ...}` with keys sorted as Go's fmt sorts them. */
export function goStringMap(m: Record<string, string> | undefined | null): GoRepr {
  if (m == null) {
    return goRepr('map[string]string(nil)');
  }
  const keys = Object.keys(m).sort();
  const body = keys.map((k) => `${goQuote(k)}:${goQuote(m[k] ?? '')}`).join(', ');
  return goRepr(`map[string]string{${body}}`);
}

/** `[]string{"a", "b"}`, or `[]string(nil)` for a missing list. */
export function goStringSlice(list: readonly string[] | undefined | null): GoRepr {
  if (list == null) {
    return goRepr('[]string(nil)');
  }
  return goRepr(`[]string{${list.map(goQuote).join(', ')}}`);
}

/** A Go struct literal: `type{Field:value, ...}`; values are rendered with {@link goValue}. */
export function goStruct(type: string, fields: [string, unknown][]): GoRepr {
  return goRepr(`${type}{${fields.map(([k, v]) => `${k}:${goValue(v)}`).join(', ')}}`);
}

/** A typed Go pointer inside a struct: `(*T)(nil)` when absent. */
export function goPtr(type: string, value: unknown): unknown {
  return value === undefined || value === null ? goRepr(`(*${type})(nil)`) : value;
}

/** `%#v`-style rendering of a plain value used inside Go literals. */
export function goValue(v: unknown): string {
  if (v instanceof GoRepr) {
    return v.text;
  }
  if (typeof v === 'string') {
    return goQuote(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    return String(v);
  }
  if (v === undefined || v === null) {
    return '<nil>';
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    return goStringSlice(v).text;
  }
  if (typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string')) {
    return goStringMap(v as Record<string, string>).text;
  }
  return JSON.stringify(v);
}

/**
 * The value part of a field error (`field.Error.ErrorBody`): numbers and booleans bare,
 * strings quoted, missing values as `null`, everything else in Go syntax.
 */
export function errorValue(v: unknown): string {
  if (v === undefined || v === null) {
    return 'null';
  }
  return goValue(v);
}
