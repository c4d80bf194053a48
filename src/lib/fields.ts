// Field selectors (`?fieldSelector=spec.nodeName=n1,status.phase!=Failed`): parsing, matching and
// printing. Behaviour follows apimachinery pkg/fields/selector.go (v0.32); own code.

import { badRequest } from './errors.js';

/** One term; `==` parses to `=` as upstream's Requirements() reports it. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Upstream checks the operators in this order at each position. */
const OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let isEscaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (isEscaped) {
      isEscaped = false;
    } else if (c === '\\') {
      isEscaped = true;
    } else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator in the term splits it; escapes are not considered on the left. */
function splitTerm(term: string): [string, (typeof OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) {
        return [term.slice(0, i), op, term.slice(i + op.length)];
      }
    }
  }
  return undefined;
}

/** Undoes escapeFieldValue; a bare `,` or `=` or an unknown escape is an error (UnescapeValue). */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) {
    return s;
  }
  let out = '';
  let isEscaped = false;
  for (const c of s) {
    if (isEscaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      isEscaped = false;
    } else if (c === '\\') {
      isEscaped = true;
    } else if (c === ',' || c === '=') {
      // Upstream formats the rune with %v, so the message carries its code point (61 for '=').
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (isEscaped) {
    throw badRequest('invalid field selector: invalid escape sequence: \\');
  }
  return out;
}

/** Parses `?fieldSelector=`; throws a 400 worded as the apiserver does. Terms come out sorted. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector === '') {
    return [];
  }
  const reqs: FieldRequirement[] = [];
  // Upstream sorts the raw terms before parsing, which fixes both the order and which error wins.
  const terms = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const term of terms) {
    if (term === '') {
      continue;
    }
    const split = splitTerm(term);
    if (split === undefined) {
      throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    }
    const [field, op, rawValue] = split;
    const value = unescapeValue(rawValue);
    // A term with neither field nor value ("=") selects everything upstream.
    if (field !== '' || value !== '') {
      reqs.push({ field, operator: op === '!=' ? '!=' : '=', value });
    }
  }
  return reqs;
}

/** True when every requirement holds; a field the getter does not know reads as ''. */
export function matchesFields(
  reqs: readonly FieldRequirement[],
  getField: (path: string) => string | undefined,
): boolean {
  return reqs.every((r) => ((getField(r.field) ?? '') === r.value) === (r.operator === '='));
}

/** The value that a requirement `field=value` pins, if any (RequiresExactMatch). */
export function fieldRequiresExactMatch(
  reqs: readonly FieldRequirement[],
  field: string,
): string | undefined {
  return reqs.find((r) => r.field === field && r.operator === '=')?.value;
}

/** Escapes `\`, `,` and `=` in a value (fields.EscapeValue). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The selector string, values escaped: `metadata.name=web,status.phase!=Failed`. */
export function fieldSelectorToString(reqs: readonly FieldRequirement[]): string {
  return reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}
