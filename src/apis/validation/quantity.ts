// Resource quantities as API objects carry them (`"500m"`, or a bare YAML number), parsed with
// lib/quantity; defaulting stores them canonical and rounded up to milli precision, as upstream.
import { newMilliQuantity, parseQuantity, type Quantity } from '../../lib/quantity.js';

/** A quantity from JSON, or the upstream parse error message. */
export function readQuantity(raw: unknown): Quantity | { error: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { error: 'quantities must be a string or a number' };
  }
  try {
    return parseQuantity(String(raw));
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** True when readQuantity succeeded. */
export function isQuantity(q: Quantity | { error: string }): q is Quantity {
  return !('error' in q);
}

// SetDefaults_ResourceList rounds every value up to milli precision.
function roundUpToMilli(q: Quantity): Quantity {
  const milli = q.milliValue();
  if (!Number.isSafeInteger(milli)) {
    return q;
  }
  const rounded = newMilliQuantity(milli, q.format);
  return rounded.compare(q) === 0 ? q : rounded;
}

/** Rewrites each parsable value of a resource list in canonical form; leaves bad ones for validation. */
export function canonicalizeResourceList(list: Record<string, unknown> | undefined): void {
  if (!list || typeof list !== 'object') {
    return;
  }
  for (const [name, raw] of Object.entries(list)) {
    const q = readQuantity(raw);
    if (isQuantity(q)) {
      list[name] = roundUpToMilli(q).toString();
    }
  }
}
