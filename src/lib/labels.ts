// Label selectors: the string syntax (`a=b,c in (x,y),!d`) and metav1.LabelSelector objects.
// Behaviour follows apimachinery pkg/labels/selector.go and metav1 helpers.go (v0.32); own code.

import type { LabelSelector } from '../apis/meta.js';
import { badRequest } from './errors.js';

/** Operators as apimachinery's selection package names them. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelectorMatcher {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector does not restrict anything (matches every object). */
  isEmpty(): boolean;
  toString(): string;
  readonly requirements: readonly LabelRequirement[];
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const eg = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;

/** validation.IsQualifiedName: the messages for an invalid label key. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  const nameRegex = regexError(
    QUALIFIED_NAME_MSG,
    QUALIFIED_NAME_FMT,
    'MyName',
    'my.name',
    '123-abc',
  );
  if (parts.length > 2) {
    return [
      `a qualified name ${nameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') {
      errs.push('prefix part must be non-empty');
    } else {
      errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
    }
  }
  if (name === '') {
    errs.push('name part must be non-empty');
  } else if (name.length > 63) {
    errs.push(`name part ${maxLen(63)}`);
  }
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${nameRegex}`);
  }
  return errs;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) {
    errs.push(maxLen(253));
  }
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** validation.IsValidLabelValue: the messages for an invalid label value. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) {
    errs.push(maxLen(63));
  }
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** The field errors labels.NewRequirement reports (paths relative to a nil root). */
function requirementErrors(req: LabelRequirement, badValues: string[] | null): string[] {
  const { key, values } = req;
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length > 0) {
    errs.push(fieldInvalid('key', goQuote(key), keyErrs.join('; ')));
  }
  errs.push(...valueCountErrors(req, badValuesJson(badValues)));
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) {
      errs.push(fieldInvalid(`values[${i}][${key}]`, goQuote(v), valueErrs.join('; ')));
    }
  });
  return errs;
}

const VALUE_COUNT_RULES: Record<LabelOperator, [(n: number) => boolean, string]> = {
  in: [(n) => n > 0, "for 'in', 'notin' operators, values set can't be empty"],
  notin: [(n) => n > 0, "for 'in', 'notin' operators, values set can't be empty"],
  '=': [(n) => n === 1, 'exact-match compatibility requires one single value'],
  '==': [(n) => n === 1, 'exact-match compatibility requires one single value'],
  '!=': [(n) => n === 1, 'exact-match compatibility requires one single value'],
  exists: [(n) => n === 0, 'values set must be empty for exists and does not exist'],
  '!': [(n) => n === 0, 'values set must be empty for exists and does not exist'],
  gt: [(n) => n === 1, "for 'Gt', 'Lt' operators, exactly one value is required"],
  lt: [(n) => n === 1, "for 'Gt', 'Lt' operators, exactly one value is required"],
};

function valueCountErrors({ operator: op, values }: LabelRequirement, rendered: string): string[] {
  const [isValidCount, detail] = VALUE_COUNT_RULES[op];
  const errs = isValidCount(values.length) ? [] : [fieldInvalid('values', rendered, detail)];
  if (op === 'gt' || op === 'lt') {
    values.forEach((v, i) => {
      if (!isInt64(v)) {
        const msg = "for 'Gt', 'Lt' operators, the value must be an integer";
        errs.push(fieldInvalid(`values[${i}]`, goQuote(v), msg));
      }
    });
  }
  return errs;
}

/** Go's json.Marshal of a []string, where nil renders as `null`. */
function badValuesJson(values: string[] | null): string {
  if (values === null) {
    return 'null';
  }
  return JSON.stringify(values).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function hasOwn(labels: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const value = hasOwn(labels, r.key) ? labels[r.key] : undefined;
  if (r.operator === 'exists' || r.operator === '!') {
    return (value !== undefined) === (r.operator === 'exists');
  }
  if (r.operator === 'gt' || r.operator === 'lt') {
    return compareMatches(r, value);
  }
  const found = value !== undefined && r.values.includes(value);
  // A missing label satisfies notin and != .
  return r.operator === 'notin' || r.operator === '!=' ? !found : found;
}

/** Gt/Lt compare as int64; a missing or non-integer label never matches. */
function compareMatches(r: LabelRequirement, value: string | undefined): boolean {
  const bound = r.values[0];
  if (value === undefined || r.values.length !== 1 || bound === undefined) {
    return false;
  }
  if (!isInt64(value) || !isInt64(bound)) {
    return false;
  }
  const diff = BigInt(value) - BigInt(bound);
  return r.operator === 'gt' ? diff > 0n : diff < 0n;
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

function requirementString(r: LabelRequirement): string {
  if (r.operator === 'exists') {
    return r.key;
  }
  if (r.operator === '!') {
    return `!${r.key}`;
  }
  const values = r.values.length === 1 ? r.values : [...r.values].sort(compareStrings);
  const joined = values.join(',');
  const body = r.operator === 'in' || r.operator === 'notin' ? `(${joined})` : joined;
  return `${r.key}${OPERATOR_TEXT[r.operator]}${body}`;
}

/** Byte-order comparison, as Go's sort.Strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class RequirementSelector implements LabelSelectorMatcher {
  readonly requirements: readonly LabelRequirement[];

  constructor(requirements: LabelRequirement[]) {
    this.requirements = [...requirements].sort((a, b) => compareStrings(a.key, b.key));
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.Nothing(): what a nil metav1.LabelSelector means. */
const NOTHING: LabelSelectorMatcher = {
  requirements: [],
  matches: () => false,
  isEmpty: () => false,
  toString: () => '',
};

/** A selector that matches every object. */
export function everythingSelector(): LabelSelectorMatcher {
  return new RequirementSelector([]);
}

/** A selector that matches no object (a nil metav1.LabelSelector). */
export function nothingSelector(): LabelSelectorMatcher {
  return NOTHING;
}

/** Parses the string form (`?labelSelector=`); throws a 400 worded as the apiserver does. */
export function parseLabelSelector(s: string): LabelSelectorMatcher {
  return new RequirementSelector(new Parser(lex(s)).parse());
}

/** The exact-match selector for a map such as a Service's spec.selector; empty matches all. */
export function labelSelectorFromSet(
  set: Record<string, string> | undefined,
): LabelSelectorMatcher {
  const reqs = Object.entries(set ?? {}).map(([key, value]): LabelRequirement => {
    return { key, operator: '=', values: [value] };
  });
  return new RequirementSelector(reqs);
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** metav1.LabelSelectorAsSelector: null matches nothing, `{}` matches everything. */
export function labelSelectorFromObject(
  sel: LabelSelector | null | undefined,
): LabelSelectorMatcher {
  if (sel == null) {
    return NOTHING;
  }
  const reqs: LabelRequirement[] = [];
  const matchLabels = sel.matchLabels ?? {};
  for (const key of Object.keys(matchLabels).sort(compareStrings)) {
    reqs.push(checked({ key, operator: '=', values: [matchLabels[key] ?? ''] }, []));
  }
  for (const expr of sel.matchExpressions ?? []) {
    const operator = Object.prototype.hasOwnProperty.call(EXPRESSION_OPERATORS, expr.operator)
      ? EXPRESSION_OPERATORS[expr.operator]
      : undefined;
    if (operator === undefined) {
      throw badRequest(`${goQuote(expr.operator)} is not a valid label selector operator`);
    }
    const values = expr.values ?? [];
    reqs.push(
      checked({ key: expr.key, operator, values: [...values] }, values.length ? values : null),
    );
  }
  return new RequirementSelector(reqs);
}

function checked(req: LabelRequirement, badValues: string[] | null): LabelRequirement {
  const errs = requirementErrors(req, badValues);
  if (errs.length > 0) {
    throw badRequest(joinErrors(errs));
  }
  return req;
}

/** The canonical string of a metav1.LabelSelector (`app=web,tier in (a,b)`); null gives ''. */
export function labelSelectorToString(sel: LabelSelector | null | undefined): string {
  return labelSelectorFromObject(sel).toString();
}

/** metav1.FormatLabelSelector, as table printers show it: `<none>` or `<error>` when needed. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorToString(sel);
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}

// ---- messages in Go's formatting (field.Error, %q, utilerrors.Aggregate) ----

function fieldInvalid(field: string, renderedValue: string, detail: string): string {
  return `${field}: Invalid value: ${renderedValue}: ${detail}`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
function joinErrors(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

const GO_ESCAPES: Record<string, string> = {
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

/** Go's %q for a string: printable runes kept, control characters escaped. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const named = GO_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if (cp >= 0x80 && cp < 0xa0) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64) succeeds. */
function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    return false;
  }
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX;
}

// ---- the string syntax: lexer and recursive-descent parser ----

type TokenKind =
  'eos' | 'id' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

const LITERALS: Record<string, TokenKind> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => c !== '' && '=!(),><'.includes(c);

function literalKind(text: string): TokenKind | undefined {
  return Object.prototype.hasOwnProperty.call(LITERALS, text) ? LITERALS[text] : undefined;
}

function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s.charAt(pos))) {
      pos++;
    }
    if (pos >= s.length) {
      tokens.push({ kind: 'eos', text: '' });
      return tokens;
    }
    const token = isSpecial(s.charAt(pos)) ? operatorToken(s, pos) : identifierToken(s, pos);
    tokens.push(token);
    pos += token.text.length;
  }
}

/** The longest operator at pos: operators are one or two characters (`!=` but not `!=(`). */
function operatorToken(s: string, pos: number): Token {
  const two = s.slice(pos, pos + 2);
  const twoKind = two.length === 2 ? literalKind(two) : undefined;
  if (twoKind !== undefined) {
    return { kind: twoKind, text: two };
  }
  const one = s.charAt(pos);
  // Every single special character is an operator token.
  return { kind: literalKind(one) ?? 'eos', text: one };
}

function identifierToken(s: string, pos: number): Token {
  let end = pos;
  while (end < s.length && !isSpecial(s.charAt(end)) && !isWhitespace(s.charAt(end))) {
    end++;
  }
  const text = s.slice(pos, end);
  return { kind: literalKind(text) ?? 'id', text };
}

const BINARY_OPERATORS: Partial<Record<TokenKind, LabelOperator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

/** In a value position `in` and `notin` are ordinary identifiers (`x in (in)`). */
type Context = 'operator' | 'values';

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(ctx: Context = 'values'): Token {
    const t = this.tokens[Math.min(this.pos, this.tokens.length - 1)] ?? { kind: 'eos', text: '' };
    return ctx === 'values' && (t.kind === 'in' || t.kind === 'notin') ? { ...t, kind: 'id' } : t;
  }

  private next(ctx: Context = 'values'): Token {
    const t = this.peek(ctx);
    this.pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eos') {
        return reqs;
      }
      if (t.kind !== 'id' && t.kind !== '!') {
        throw badRequest(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      }
      reqs.push(this.requirement());
      const after = this.next();
      if (after.kind === 'eos') {
        return reqs;
      }
      if (after.kind !== ',') {
        throw badRequest(`found '${after.text}', expected: ',' or 'end of string'`);
      }
      const t2 = this.peek();
      if (t2.kind !== 'id' && t2.kind !== '!') {
        throw badRequest(`found '${t2.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    try {
      const req = this.keyAndOperator();
      const errs = requirementErrors(req, req.values);
      if (errs.length > 0) {
        throw badRequest(joinErrors(errs));
      }
      return req;
    } catch (e) {
      throw e instanceof Error ? badRequest(`unable to parse requirement: ${e.message}`) : e;
    }
  }

  private keyAndOperator(): LabelRequirement {
    let t = this.next();
    const negated = t.kind === '!';
    if (negated) {
      t = this.next();
    }
    if (t.kind !== 'id') {
      throw new Error(`found '${t.text}', expected: identifier`);
    }
    const keyErrs = qualifiedNameErrors(t.text);
    if (keyErrs.length > 0) {
      throw new Error(fieldInvalid('<nil>', goQuote(t.text), keyErrs.join('; ')));
    }
    const key = t.text;
    const ahead = this.peek().kind;
    if (negated) {
      return { key, operator: '!', values: [] };
    }
    if (ahead === 'eos' || ahead === ',') {
      return { key, operator: 'exists', values: [] };
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    return { key, operator, values: [...new Set(values)].sort(compareStrings) };
  }

  private operator(): LabelOperator {
    const t = this.next('operator');
    const op = Object.prototype.hasOwnProperty.call(BINARY_OPERATORS, t.kind)
      ? BINARY_OPERATORS[t.kind]
      : undefined;
    if (op === undefined) {
      throw new Error(`found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    return op;
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw new Error(`found '${open.text}' expected: '('`);
    }
    const t = this.peek();
    if (t.kind === ')') {
      this.next();
      return [''];
    }
    if (t.kind !== 'id' && t.kind !== ',') {
      throw new Error(`found '${t.text}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    this.next(); // the ')' identifierList stopped at
    return values;
  }

  /** A comma-separated list in which empty items mean the empty value: `(,a,,b,)`. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.push(t.text);
        const t2 = this.peek();
        if (t2.kind === ')') {
          return values;
        }
        if (t2.kind !== ',') {
          throw new Error(`found '${t2.text}', expected: ',' or ')'`);
        }
      } else if (t.kind === ',') {
        if (values.length === 0) {
          values.push('');
        }
        const t2 = this.peek();
        if (t2.kind === ')') {
          values.push('');
          return values;
        }
        if (t2.kind === ',') {
          this.next();
          values.push('');
        }
      } else {
        throw new Error(`found '${t.text}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const ahead = this.peek();
    if (ahead.kind === 'eos' || ahead.kind === ',') {
      return [''];
    }
    const t = this.next();
    if (t.kind !== 'id') {
      throw new Error(`found '${t.text}', expected: identifier`);
    }
    return [t.text];
  }
}
