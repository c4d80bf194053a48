// The texts Kubernetes uses for field validation: strict decoding errors (fieldValidation=Strict),
// Warning header values (fieldValidation=Warn) and the wrapper of every body decode failure.
import { goQuote } from '../validation/go-format.js';

/** Unknown fields first, then duplicates, each as `unknown field "spec.x"` / `duplicate field "x"`. */
export function strictErrors(unknown: readonly string[], duplicates: readonly string[]): string[] {
  return [
    ...unknown.map((path) => `unknown field ${goQuote(path)}`),
    ...duplicates.map((path) => `duplicate field ${goQuote(path)}`),
  ];
}

/**
 * runtime.strictDecodingError's text: `strict decoding error: unknown field "spec.a", ...`.
 * Kubernetes lists the problems in document order; this lists unknown fields before duplicates.
 */
export function strictDecodingMessage(
  unknown: readonly string[],
  duplicates: readonly string[],
): string {
  return `strict decoding error: ${strictErrors(unknown, duplicates).join(', ')}`;
}

/** The values of the `Warning: 299 - "..."` headers Kubernetes sends for fieldValidation=Warn. */
export function strictWarnings(
  unknown: readonly string[],
  duplicates: readonly string[],
): string[] {
  return strictErrors(unknown, duplicates);
}

/**
 * The 400 BadRequest message for a body that failed to decode (type errors, or strict errors with
 * fieldValidation=Strict): `Deployment in version "v1" cannot be handled as a Deployment: <cause>`.
 */
export function decodeErrorMessage(gvk: { version: string; kind: string }, cause: string): string {
  return `${gvk.kind} in version ${goQuote(gvk.version)} cannot be handled as a ${gvk.kind}: ${cause}`;
}
