// Finds duplicated object keys in a JSON text, which JSON.parse silently collapses but
// Kubernetes' strict decoder reports (`duplicate field "spec.replicas"`).
// One pass with an explicit stack: no recursion, linear time, safe on hostile input.

interface Container {
  isObject: boolean;
  path: string;
  /** Object: keys seen so far; the key whose value comes next. */
  seen?: Set<string>;
  key?: string;
  /** Array: index of the current element. */
  index: number;
}

/** Kubernetes keeps at most this many strict errors per object. */
const MAX_REPORTED = 100;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERAL_END = new Set([',', ']', '}', ':', ' ', '\t', '\n', '\r']);

/**
 * Paths of duplicated keys in document order (`metadata.labels.app`, `spec.containers[0].name`).
 * Scanning stops at the first syntax error; callers parse the JSON themselves first.
 */
export function findDuplicateFields(jsonText: string): string[] {
  const scan: Scan = { text: jsonText, pos: 0, stack: [], found: new Set() };
  while (scan.pos < jsonText.length && scan.found.size < MAX_REPORTED) {
    if (!step(scan)) {
      break;
    }
  }
  return [...scan.found];
}

interface Scan {
  text: string;
  pos: number;
  stack: Container[];
  found: Set<string>;
}

// Consumes one token; false on a syntax error that ends the scan.
function step(scan: Scan): boolean {
  const c = scan.text.charAt(scan.pos);
  const top = scan.stack[scan.stack.length - 1];
  if (c === '"') {
    return readString(scan, top);
  }
  scan.pos++;
  if (c === '{' || c === '[') {
    scan.stack.push({ isObject: c === '{', path: childPath(top), index: 0, seen: new Set() });
  } else if (c === '}' || c === ']') {
    scan.stack.pop();
  } else if (c === ',' && top) {
    if (top.isObject) {
      top.key = undefined;
    } else {
      top.index++;
    }
  } else if (!WHITESPACE.has(c) && c !== ':' && c !== ',') {
    scan.pos = literalEnd(scan.text, scan.pos - 1);
  }
  return true;
}

// A string is a key when an object expects one; values are skipped.
function readString(scan: Scan, top: Container | undefined): boolean {
  const end = stringEnd(scan.text, scan.pos + 1);
  if (end < 0) {
    return false;
  }
  if (top?.isObject && top.key === undefined) {
    const key = decodeString(scan.text.slice(scan.pos, end + 1));
    if (key === undefined) {
      return false;
    }
    recordKey(top, key, scan.found);
  }
  scan.pos = end + 1;
  return true;
}

function recordKey(obj: Container, key: string, found: Set<string>): void {
  if (obj.seen?.has(key)) {
    found.add(obj.path ? `${obj.path}.${key}` : key);
  }
  obj.seen?.add(key);
  obj.key = key;
}

function childPath(parent: Container | undefined): string {
  if (!parent) {
    return '';
  }
  if (!parent.isObject) {
    return `${parent.path}[${parent.index}]`;
  }
  const key = parent.key ?? '';
  return parent.path ? `${parent.path}.${key}` : key;
}

// Index of the closing quote of a string whose body starts at `from`, or -1.
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      i++;
    } else if (c === 0x22) {
      return i;
    }
  }
  return -1;
}

function decodeString(literal: string): string | undefined {
  if (!literal.includes('\\')) {
    return literal.slice(1, -1);
  }
  try {
    return JSON.parse(literal) as string;
  } catch {
    // Not a valid JSON string: the caller stops scanning, as the body is not valid JSON.
    return undefined;
  }
}

function literalEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length && !LITERAL_END.has(text.charAt(i))) {
    i++;
  }
  return i;
}
