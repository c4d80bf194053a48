// Acceptance: bodies captured from real kubectl 1.32/1.33 decode to the JSON kubectl would send.
// Fixtures and how they were made: test/fixtures/protobuf/README.md.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';

const FIXTURES = new URL('../../../test/fixtures/protobuf/', import.meta.url);
const names = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.pb'))
  .map((f) => f.slice(0, -3))
  .sort();

/**
 * The one normalisation of the expected JSON: drop `null` members. Go's JSON encoder writes
 * `null` for a zero metav1.Time (`creationTimestamp: null`, TokenRequest
 * `status.expirationTimestamp`) and for nil slices and pointers without omitempty (HPA v2
 * `status.currentMetrics`, TokenRequest `spec.boundObjectRef`, SelfSubjectRulesReview
 * `status.resourceRules`). Protobuf carries nothing for them, and the server treats null and
 * absent alike. Everything else, including `status: {}`, `resources: {}` and non-omitempty
 * zeros such as PDB `status.disruptionsAllowed: 0`, must match exactly.
 */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(dropNulls);
  }
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, dropNulls(x)]),
    );
  }
  return v;
}

describe('decodeProtobufObject on captured kubectl bodies', () => {
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it.each(names)('%s', (name) => {
    const body = readFileSync(new URL(`${name}.pb`, FIXTURES));
    const want = dropNulls(JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')));
    expect(decodeProtobufObject(body)).toStrictEqual(want);
  });
});
