// Node selection: nodeSelector and required node affinity terms.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { matchesNodeSelector, matchesRequirement } from './node-affinity.js';

const labels = { zone: 'a', cores: '8', ssd: '' };

describe('matchesRequirement', () => {
  it.each([
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    [{ key: 'zone', operator: 'In', values: ['b'] }, false],
    [{ key: 'zone', operator: 'NotIn', values: ['b'] }, true],
    [{ key: 'missing', operator: 'NotIn', values: ['b'] }, true],
    [{ key: 'ssd', operator: 'Exists' }, true],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'zone', operator: 'DoesNotExist' }, false],
    [{ key: 'cores', operator: 'Gt', values: ['4'] }, true],
    [{ key: 'cores', operator: 'Lt', values: ['4'] }, false],
    [{ key: 'zone', operator: 'Gt', values: ['4'] }, false],
    [{ key: 'cores', operator: 'Gt', values: ['4', '5'] }, false],
    [{ key: 'zone', operator: 'Bogus' }, false],
  ])('%j → %s', (req, expected) => {
    expect(matchesRequirement(req, labels)).toBe(expected);
  });
});

describe('matchesNodeSelector', () => {
  const node: KubeObject = { metadata: { name: 'n1', labels } };
  const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'p' }, spec });
  const required = (terms: unknown[]) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
  });

  it.each([
    ['no constraints', {}, true],
    ['nodeSelector match', { nodeSelector: { zone: 'a' } }, true],
    ['nodeSelector mismatch', { nodeSelector: { zone: 'b' } }, false],
    [
      'any term may match',
      {
        affinity: required([
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] },
          { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] },
        ]),
      },
      true,
    ],
    [
      'all expressions of a term must match',
      {
        affinity: required([
          {
            matchExpressions: [
              { key: 'ssd', operator: 'Exists' },
              { key: 'zone', operator: 'In', values: ['x'] },
            ],
          },
        ]),
      },
      false,
    ],
    ['an empty term matches nothing', { affinity: required([{}]) }, false],
    [
      'matchFields on the name',
      {
        affinity: required([
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
        ]),
      },
      true,
    ],
    [
      'matchFields NotIn',
      {
        affinity: required([
          { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
        ]),
      },
      false,
    ],
    [
      'selector and affinity both apply',
      {
        nodeSelector: { zone: 'b' },
        affinity: required([{ matchExpressions: [{ key: 'ssd', operator: 'Exists' }] }]),
      },
      false,
    ],
  ])('%s', (_name, spec, expected) => {
    expect(matchesNodeSelector(pod(spec as Pod['spec']), node)).toBe(expected);
  });
});
