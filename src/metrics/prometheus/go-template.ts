// The subset of Go's text/template that prometheus-adapter's rules use, with its `<<` `>>`
// delimiters: `<<.Field>>`, `<<.Map.key>>`, `<<index .Map "key">>`, `<<len .X>>`, `<<- ->>`.
// Anything else (range, if, pipes) is rejected when the rule is loaded, not when it is used.

/** What a template can print: strings, lists of strings, string maps. */
export type TemplateValue = string | readonly string[] | Readonly<Record<string, string>>;
export type TemplateData = Readonly<Record<string, TemplateValue>>;

type Arg = { kind: 'field'; path: string[] } | { kind: 'string'; value: string };
type Action = { fn: 'print' | 'index' | 'len'; args: Arg[] };
type Part = string | Action;

/** A template that did not parse, or failed to run on its data. */
export class TemplateError extends Error {
  readonly code = 'TemplateError';
}

const TOKEN = /"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s]+/g;

function parseArg(token: string): Arg {
  if (token.startsWith('"')) {
    return { kind: 'string', value: JSON.parse(token) as string };
  }
  if (token.startsWith('`')) {
    return { kind: 'string', value: token.slice(1, -1) };
  }
  if (/^\d+$/.test(token)) {
    return { kind: 'string', value: token };
  }
  if (token === '.') {
    return { kind: 'field', path: [] };
  }
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(token)) {
    return { kind: 'field', path: token.slice(1).split('.') };
  }
  throw new TemplateError(`unsupported template argument ${JSON.stringify(token)}`);
}

function parseAction(body: string): Action {
  const tokens = body.match(TOKEN) ?? [];
  const [head, ...rest] = tokens;
  if (head === undefined) {
    throw new TemplateError('missing value for command');
  }
  if (head === 'index' || head === 'len') {
    if (rest.length === 0 || (head === 'len' && rest.length !== 1)) {
      throw new TemplateError(`wrong number of args for ${head}`);
    }
    return { fn: head, args: rest.map(parseArg) };
  }
  if (rest.length > 0) {
    throw new TemplateError(`unsupported template action ${JSON.stringify(body)}`);
  }
  return { fn: 'print', args: [parseArg(head)] };
}

/** A parsed `<<`-delimited template. */
export class GoTemplate {
  private constructor(
    readonly source: string,
    private readonly parts: Part[],
  ) {}

  /** Parses `source`; throws a TemplateError naming what is not supported. */
  static parse(source: string): GoTemplate {
    const parts: Part[] = [];
    let rest = source;
    for (;;) {
      const open = rest.indexOf('<<');
      if (open < 0) {
        parts.push(rest);
        break;
      }
      let text = rest.slice(0, open);
      let body = rest.slice(open + 2);
      if (body.startsWith('- ')) {
        text = text.trimEnd();
        body = body.slice(2);
      }
      const close = body.indexOf('>>');
      if (close < 0) {
        throw new TemplateError('unclosed action');
      }
      let inner = body.slice(0, close);
      rest = body.slice(close + 2);
      if (inner.endsWith(' -')) {
        inner = inner.slice(0, -2);
        rest = rest.trimStart();
      }
      parts.push(text, parseAction(inner.trim()));
    }
    return new GoTemplate(source, parts);
  }

  /** Runs the template on data. */
  execute(data: TemplateData): string {
    return this.parts.map((p) => (typeof p === 'string' ? p : printValue(run(p, data)))).join('');
  }
}

type Value = TemplateValue | number | undefined | TemplateData;

function lookup(path: string[], data: TemplateData): Value {
  let cur: Value = data;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) {
      throw new TemplateError(`can't evaluate field ${key}`);
    }
    const obj = cur as Record<string, Value>;
    if (cur === data && !Object.hasOwn(obj, key)) {
      throw new TemplateError(`can't evaluate field ${key}`);
    }
    cur = Object.hasOwn(obj, key) ? obj[key] : undefined;
  }
  return cur;
}

function evalArg(arg: Arg, data: TemplateData): Value {
  return arg.kind === 'string' ? arg.value : lookup(arg.path, data);
}

function run(action: Action, data: TemplateData): Value {
  const values = action.args.map((a) => evalArg(a, data));
  const [first, ...keys] = values;
  switch (action.fn) {
    case 'print':
      return first;
    case 'len':
      if (typeof first === 'string' || Array.isArray(first)) {
        return first.length;
      }
      return first && typeof first === 'object' ? Object.keys(first).length : 0;
    case 'index':
      return keys.reduce<Value>((cur, key) => {
        if (Array.isArray(cur)) {
          return (cur as readonly string[])[Number(key)];
        }
        // A missing map key gives the zero value (''), as Go's index does.
        const obj = (cur ?? {}) as Record<string, Value>;
        return typeof key === 'string' && Object.hasOwn(obj, key) ? obj[key] : '';
      }, first);
  }
}

/** Go's fmt of the value: lists as `[a b]`, maps as `map[k:v]` sorted, missing as `<no value>`. */
function printValue(v: Value): string {
  if (v === undefined) {
    return '<no value>';
  }
  if (typeof v === 'string' || typeof v === 'number') {
    return String(v);
  }
  if (Array.isArray(v)) {
    return `[${v.join(' ')}]`;
  }
  const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[${entries.map(([k, val]) => `${k}:${printValue(val)}`).join(' ')}]`;
}
