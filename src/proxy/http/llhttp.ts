// Node's llhttp binding, the very parser node:http runs, reached through `_http_common` (Node's
// own module, undocumented but stable since Node 12; ADR 0008). The ingress parses requests and
// responses with it directly: node:http's objects around it cost more CPU per proxied request
// than the parsing itself (bench/proxy/README.md).
import { createRequire } from 'node:module';

/** The part of node's internal HTTPParser used here. */
export interface LlhttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | LlhttpError;
  finish(): LlhttpError | undefined;
  close(): void;
  [callback: number]: unknown;
}

/** What execute() returns for malformed input: code is llhttp's (`HPE_HEADER_OVERFLOW`, ...). */
export interface LlhttpError extends Error {
  code: string;
  reason?: string;
  bytesParsed?: number;
}

export interface HttpParserClass {
  new (): LlhttpParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kLenientNone: number;
}

interface LlhttpModule {
  HTTPParser: HttpParserClass;
  /** Method names by llhttp's method number. */
  methods: string[];
}

/** Node's llhttp binding; startup fails with one line on a Node.js that no longer exposes it. */
function load(): LlhttpModule {
  const missing = 'this Node.js has no llhttp binding in _http_common (needed by the ingress)';
  let mod: Partial<LlhttpModule>;
  try {
    mod = createRequire(import.meta.url)('_http_common') as Partial<LlhttpModule>;
  } catch (err) {
    throw new Error(missing, { cause: err });
  }
  if (typeof mod.HTTPParser !== 'function' || !Array.isArray(mod.methods)) {
    throw new Error(missing);
  }
  return { HTTPParser: mod.HTTPParser, methods: mod.methods };
}

const llhttp = load();

export const HTTPParser = llhttp.HTTPParser;
export const METHODS: readonly string[] = llhttp.methods;
