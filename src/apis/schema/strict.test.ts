// Tests: Strict-decoding and decode-failure message texts.
import { describe, expect, it } from 'vitest';
import { decodeErrorMessage, strictDecodingMessage, strictWarnings } from './strict.js';

describe('strict decoding texts', () => {
  it('formats one unknown field', () => {
    expect(strictDecodingMessage(['spec.bogusField'], [])).toBe(
      'strict decoding error: unknown field "spec.bogusField"',
    );
  });

  it('lists several problems separated by commas', () => {
    expect(
      strictDecodingMessage(['spec.a', 'spec.template.spec.containers[0].b'], ['metadata.name']),
    ).toBe(
      'strict decoding error: unknown field "spec.a", unknown field "spec.template.spec.containers[0].b", duplicate field "metadata.name"',
    );
  });

  it('quotes paths as Go does', () => {
    expect(strictDecodingMessage(['metadata.labels.a"b'], [])).toBe(
      'strict decoding error: unknown field "metadata.labels.a\\"b"',
    );
  });

  it('gives one warning per problem', () => {
    expect(strictWarnings(['spec.bogusField'], ['spec.replicas'])).toEqual([
      'unknown field "spec.bogusField"',
      'duplicate field "spec.replicas"',
    ]);
  });

  it('wraps a decode failure as the API server does', () => {
    expect(
      decodeErrorMessage(
        { version: 'v1', kind: 'Deployment' },
        strictDecodingMessage(['spec.bogusField'], []),
      ),
    ).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogusField"',
    );
  });
});
