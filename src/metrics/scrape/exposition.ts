// A parser of the Prometheus text exposition format (0.0.4), written for the built-in scraper:
// samples with their labels and values, and the TYPE of each family. A malformed line fails the
// whole scrape with its line number, as Prometheus' own text parser does.

/** One sample line: `name{labels} value [timestamp]` (the timestamp is ignored). */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Exposition {
  samples: Sample[];
  /** TYPE of each family that declared one. */
  types: Map<string, MetricType>;
}

/** A scrape body that is not valid text exposition (or has too many samples). */
export class ExpositionError extends Error {
  readonly code = 'EXPOSITION';
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
// Sticky twins, matched at a cursor without slicing the line.
const METRIC_NAME_AT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME_AT = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
};

/** Go strconv.ParseFloat's accepted forms (decimal, exponent, NaN, ±Inf); undefined otherwise. */
export function parseSampleValue(text: string): number | undefined {
  if (FLOAT.test(text)) {
    return Number(text);
  }
  const special = SPECIAL[text.toLowerCase()];
  return special;
}

/** A cursor over one line. */
class Line {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') {
      this.pos++;
    }
  }

  /** Matches a sticky regex at the cursor and moves past it. */
  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) {
      return undefined;
    }
    this.pos += m[0].length;
    return m[0];
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

function quoted(line: Line): string {
  let out = '';
  for (;;) {
    const c = line.text[line.pos++];
    if (c === undefined) {
      throw new Error('unterminated label value');
    }
    if (c === '"') {
      return out;
    }
    if (c === '\\') {
      const next = line.text[line.pos++] ?? '';
      const escaped = ESCAPES[next];
      if (escaped === undefined) {
        throw new Error(`invalid escape sequence '\\${next}' in label value`);
      }
      out += escaped;
    } else {
      out += c;
    }
  }
}

function labelSet(line: Line): Record<string, string> {
  const labels: Record<string, string> = {};
  for (;;) {
    line.skipSpace();
    if (line.peek() === '}') {
      line.pos++;
      return labels;
    }
    const name = line.match(LABEL_NAME_AT);
    if (!name) {
      throw new Error(`invalid label name at ${JSON.stringify(line.text.slice(line.pos, 20))}`);
    }
    line.skipSpace();
    if (line.text[line.pos++] !== '=') {
      throw new Error(`expected '=' after label name ${JSON.stringify(name)}`);
    }
    line.skipSpace();
    if (line.text[line.pos++] !== '"') {
      throw new Error(`expected '"' to start the value of label ${JSON.stringify(name)}`);
    }
    if (Object.hasOwn(labels, name)) {
      throw new Error(`duplicate label name ${JSON.stringify(name)}`);
    }
    labels[name] = quoted(line);
    line.skipSpace();
    const sep = line.peek();
    if (sep === ',') {
      line.pos++;
    } else if (sep !== '}') {
      throw new Error(`expected ',' or '}' after label ${JSON.stringify(name)}`);
    }
  }
}

function sampleLine(text: string): Sample {
  const line = new Line(text);
  const name = line.match(METRIC_NAME_AT);
  if (!name) {
    throw new Error(`invalid metric name in ${JSON.stringify(text.slice(0, 40))}`);
  }
  line.skipSpace();
  let labels: Record<string, string> = {};
  if (line.peek() === '{') {
    line.pos++;
    labels = labelSet(line);
  }
  const rest = text
    .slice(line.pos)
    .trim()
    .split(/[ \t]+/);
  const [valueText = '', timestamp, extra] = rest;
  if (valueText === '') {
    throw new Error(`expected a value after metric ${JSON.stringify(name)}`);
  }
  const value = parseSampleValue(valueText);
  if (value === undefined) {
    throw new Error(`expected float as value, got ${JSON.stringify(valueText)}`);
  }
  if ((timestamp !== undefined && !/^-?\d+$/.test(timestamp)) || extra !== undefined) {
    throw new Error(`expected an integer timestamp or the end of the line after the value`);
  }
  return { name, labels, value };
}

function typeLine(text: string, types: Map<string, MetricType>): void {
  const parts = text.trim().split(/[ \t]+/);
  // parts: '#', 'TYPE', name, type
  const name = parts[2] ?? '';
  const type = parts[3] ?? '';
  if (!METRIC_NAME.test(name) || parts.length !== 4) {
    throw new Error('expected "# TYPE <metric name> <type>"');
  }
  if (!TYPES.has(type)) {
    throw new Error(`unknown metric type ${JSON.stringify(type)}`);
  }
  types.set(name, type as MetricType);
}

/**
 * Parses a whole scrape body. Comments, HELP and blank lines are skipped; more than
 * `maxSamples` samples fail the scrape as Prometheus' sample_limit does.
 */
export function parseExposition(body: string, maxSamples = Infinity): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/\r$/, '');
    try {
      if (/^#[ \t]+TYPE[ \t]/.test(text)) {
        typeLine(text, types);
      } else if (!/^[ \t]*(#|$)/.test(text)) {
        samples.push(sampleLine(text));
      }
    } catch (e) {
      throw new ExpositionError(
        `text format parsing error in line ${i + 1}: ${(e as Error).message}`,
      );
    }
    if (samples.length > maxSamples) {
      throw new ExpositionError(`sample limit exceeded: more than ${maxSamples} samples`);
    }
  }
  return { samples, types };
}
