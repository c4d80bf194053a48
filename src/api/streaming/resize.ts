// Terminal resize messages: a stream of JSON objects `{"Width":80,"Height":24}` on the resize
// channel/stream, decoded the way Go's json.Decoder reads successive TerminalSize values.
import type { TerminalSize } from './types.js';

const UINT16_MAX = 65535;

/**
 * Splits a byte stream into JSON objects and decodes each as a TerminalSize. Like the kubelet,
 * it stops for good at the first malformed value (later resizes are ignored).
 */
export class ResizeDecoder {
  private pending = '';
  private failed = false;

  /** Feeds bytes; returns the sizes completed by them. */
  push(chunk: Buffer | string): TerminalSize[] {
    if (this.failed) {
      return [];
    }
    this.pending += chunk.toString();
    const sizes: TerminalSize[] = [];
    for (;;) {
      const start = this.pending.search(/\S/);
      if (start < 0) {
        this.pending = '';
        return sizes;
      }
      const end = objectEnd(this.pending, start);
      if (end === 'incomplete') {
        this.pending = this.pending.slice(start);
        return sizes;
      }
      const size = end === 'invalid' ? undefined : decodeSize(this.pending.slice(start, end));
      if (!size || end === 'invalid') {
        this.failed = true;
        this.pending = '';
        return sizes;
      }
      sizes.push(size);
      this.pending = this.pending.slice(end);
    }
  }
}

/** The index just past the JSON object starting at `start`. */
function objectEnd(text: string, start: number): number | 'incomplete' | 'invalid' {
  if (text[start] !== '{') {
    return 'invalid';
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      return i + 1;
    }
  }
  return 'incomplete';
}

/** Go matches struct fields case-insensitively; values must fit a uint16. */
function decodeSize(json: string): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  const width = field(fields, 'Width');
  const height = field(fields, 'Height');
  if (width === undefined || height === undefined) {
    return undefined;
  }
  return { width, height };
}

function field(fields: Record<string, unknown>, name: string): number | undefined {
  const key =
    name in fields ? name : Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? 0 : fields[key];
  if (v === null) {
    return 0;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > UINT16_MAX) {
    return undefined;
  }
  return v;
}
