// Keeps a KindStrategy's promise never to throw: objects of the wrong JSON shape (a string where
// a list belongs) become a FieldValueTypeInvalid error instead of a crash and a 500.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';

function typeInvalid(e: unknown): FieldError[] {
  const why = e instanceof Error ? e.message : String(e);
  return [{ type: 'FieldValueTypeInvalid', field: '', detail: `Invalid value: "object": ${why}` }];
}

/** Wraps each strategy function so that a malformed object is reported, never thrown. */
export function guardStrategy(s: KindStrategy): KindStrategy {
  const out: KindStrategy = {};
  if (s.default) {
    out.default = (obj: KubeObject): void => {
      try {
        s.default?.(obj);
      } catch {
        // Defaulting stops where the shape is wrong; validate reports that shape.
      }
    };
  }
  if (s.validate) {
    out.validate = (obj) => {
      try {
        return s.validate?.(obj) ?? [];
      } catch (e) {
        return typeInvalid(e);
      }
    };
  }
  if (s.validateUpdate) {
    out.validateUpdate = (obj, old) => {
      try {
        return s.validateUpdate?.(obj, old) ?? [];
      } catch (e) {
        return typeInvalid(e);
      }
    };
  }
  if (s.ignoredFields) {
    out.ignoredFields = (obj) => {
      try {
        return s.ignoredFields?.(obj) ?? [];
      } catch {
        return [];
      }
    };
  }
  return out;
}
