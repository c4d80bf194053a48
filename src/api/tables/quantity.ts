// Quantity cells: the canonical text Kubernetes prints for a Quantity (Quantity.String()).
import { parseQuantity } from '../../lib/quantity.js';

/** Canonical text of a Quantity given as JSON (string or number); unparseable input is returned as-is. */
export function formatQuantity(raw: unknown): string {
  if (raw === undefined || raw === null) {
    return '<nil>';
  }
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  try {
    return parseQuantity(text).toString();
  } catch {
    return text;
  }
}
