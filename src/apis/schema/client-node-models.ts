// Reads Kubernetes model metadata shipped by @kubernetes/client-node: field names and types from
// each model's generated `attributeTypeMap`, descriptions and required fields from its .d.ts JSDoc.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One field as client-node declares it (`type` like `Array<V1Container>`, `format` like `int32`). */
export interface RawField {
  /** The JSON name (client-node's `baseName`). */
  jsonName: string;
  type: string;
  format: string;
  description?: string;
  required: boolean;
}

/** A client-node model class: its JSDoc and its fields in declaration (alphabetical) order. */
export interface RawModel {
  className: string;
  description?: string;
  fields: RawField[];
}

interface AttributeEntry {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** The directory holding client-node's generated model files. */
export function clientNodeModelsDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@kubernetes/client-node/package.json');
  return join(dirname(pkg), 'dist', 'gen', 'models');
}

const CLASS_NAME = /^[A-Z][A-Za-z0-9]*$/;
const TYPE_MAP = /\.attributeTypeMap = (\[[\s\S]*?\]);/;

/** Loads one model; undefined when client-node has no class of that name. */
export function readRawModel(dir: string, className: string): RawModel | undefined {
  if (!CLASS_NAME.test(className)) {
    return undefined;
  }
  const jsPath = join(dir, `${className}.js`);
  const js = readIfExists(jsPath);
  if (js === undefined) {
    return undefined;
  }
  const match = TYPE_MAP.exec(js);
  if (!match?.[1]) {
    throw new Error(`client-node model ${className}: no attributeTypeMap found in ${jsPath}`);
  }
  const entries = JSON.parse(match[1]) as AttributeEntry[];
  const dts = readIfExists(join(dir, `${className}.d.ts`));
  const docs = dts === undefined ? undefined : readDocs(dts, className);
  return {
    className,
    description: docs?.classDescription,
    fields: entries.map((e) => ({
      jsonName: e.baseName,
      type: e.type,
      format: e.format,
      description: docs?.fields.get(e.name)?.description,
      required: docs?.fields.get(e.name)?.required ?? false,
    })),
  };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

interface Docs {
  classDescription?: string;
  fields: Map<string, { description?: string; required: boolean }>;
}

const COMMENT_LINE = /^\s*\*(?!\/)\s?(.*)$/;
const FIELD_DECL = /^\s*'([^']+)'(\?)?:/;

// The generator writes one JSDoc block before the class and before each documented field;
// field declarations without `?` are the required ones.
function readDocs(text: string, className: string): Docs {
  const docs: Docs = { fields: new Map() };
  let pending: string[] | undefined;
  let comment: string[] | undefined;
  let inClass = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('/**')) {
      comment = [];
      continue;
    }
    if (comment) {
      if (trimmed.startsWith('*/')) {
        pending = comment;
        comment = undefined;
      } else {
        const m = COMMENT_LINE.exec(line);
        comment.push(m?.[1] ?? trimmed);
      }
      continue;
    }
    if (trimmed.startsWith(`export declare class ${className}`)) {
      docs.classDescription = joinComment(pending);
      inClass = true;
    } else if (inClass) {
      const field = FIELD_DECL.exec(line);
      if (field?.[1]) {
        docs.fields.set(field[1], { description: joinComment(pending), required: !field[2] });
      }
    }
    if (trimmed) {
      pending = undefined;
    }
  }
  return docs;
}

function joinComment(lines: string[] | undefined): string | undefined {
  if (!lines) {
    return undefined;
  }
  // The file header is a JSDoc block too; it is not a description.
  if (lines.some((l) => l.startsWith('OpenAPI spec version'))) {
    return undefined;
  }
  // The generator escapes quotes and backslashes inside the comment text.
  const text = lines.join('\n').trim().replace(/\\(.)/g, '$1');
  return text || undefined;
}
