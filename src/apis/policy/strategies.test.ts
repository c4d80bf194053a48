import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { policyStrategies, validatePodDisruptionBudgetStatus } from './strategies.js';

const pdb = policyStrategies.PodDisruptionBudget!;

function errors(spec: Record<string, unknown>): string[][] {
  const obj: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web-pdb' },
    spec,
  };
  return (pdb.validate?.(obj) ?? []).map((e) => [e.field, e.detail]);
}

const selector = { matchLabels: { app: 'web' } };

describe('PodDisruptionBudget validation', () => {
  it.each<[string, Record<string, unknown>, string[][]]>([
    ['minAvailable as a number', { minAvailable: 2, selector }, []],
    ['maxUnavailable as a percentage', { maxUnavailable: '25%', selector }, []],
    ['no selector', { minAvailable: 1 }, []],
    [
      'a negative minAvailable',
      { minAvailable: -1, selector },
      [['spec.minAvailable', 'Invalid value: -1: must be greater than or equal to 0']],
    ],
    [
      'a percentage over 100',
      { maxUnavailable: '120%', selector },
      [
        [
          'spec.maxUnavailable',
          'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
        ],
      ],
    ],
    [
      'both fields',
      { minAvailable: 1, maxUnavailable: 1, selector },
      [
        [
          'spec',
          'Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000a1c000), Selector:(*v1.LabelSelector)(0xc000a1c020), MaxUnavailable:(*intstr.IntOrString)(0xc000a1c040), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
        ],
      ],
    ],
    [
      'an unknown eviction policy',
      { minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' },
      [
        [
          'spec.unhealthyPodEvictionPolicy',
          'Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
        ],
      ],
    ],
    [
      'a bad selector operator',
      {
        minAvailable: 1,
        selector: { matchExpressions: [{ key: 'app', operator: 'Is', values: ['web'] }] },
      },
      [
        [
          'spec.selector.matchExpressions[0].operator',
          'Invalid value: "Is": not a valid selector operator',
        ],
      ],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(errors(spec)).toEqual(expected);
  });

  it('rejects a percentage that is not a number', () => {
    const errs = errors({ minAvailable: 'half', selector });
    expect(errs).toHaveLength(1);
    expect(errs[0]?.[0]).toBe('spec.minAvailable');
    expect(errs[0]?.[1]).toMatch(
      /^Invalid value: intstr\.IntOrString\{Type:1, IntVal:0, StrVal:"half"\}: a valid percent string must be a numeric string followed by an ending '%'/,
    );
  });

  it('rejects negative status counters', () => {
    expect(
      validatePodDisruptionBudgetStatus({ disruptionsAllowed: -1, currentHealthy: 2 }),
    ).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'status.disruptionsAllowed',
        detail: 'Invalid value: -1: must be greater than or equal to 0',
      },
    ]);
  });
});
