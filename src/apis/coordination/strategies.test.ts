import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { coordinationStrategies, leaseStrategy } from './strategies.js';

const lease = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node1', namespace: 'kube-node-lease' },
  spec,
});

const strategy = coordinationStrategies.Lease!;
const errors = (spec: Record<string, unknown>, s = strategy) =>
  (s.validate?.(lease(spec)) ?? []).map((e) => [e.field, e.detail]);

describe('Lease', () => {
  it.each<[string, Record<string, unknown>, string[][]]>([
    [
      'a node lease',
      {
        holderIdentity: 'node1',
        leaseDurationSeconds: 40,
        renewTime: '2024-05-01T10:00:00.000000Z',
      },
      [],
    ],
    [
      'a zero duration',
      { leaseDurationSeconds: 0 },
      [['spec.leaseDurationSeconds', 'Invalid value: 0: must be greater than 0']],
    ],
    [
      'negative transitions',
      { leaseTransitions: -1 },
      [['spec.leaseTransitions', 'Invalid value: -1: must be greater than or equal to 0']],
    ],
    [
      'an unknown strategy',
      { strategy: 'Youngest' },
      [
        [
          'spec.strategy.strategy',
          'Unsupported value: "Youngest": supported values: "OldestEmulationVersion"',
        ],
      ],
    ],
    [
      'a preferred holder without a strategy',
      { preferredHolder: 'a' },
      [['spec.preferredHolder', 'Forbidden: may only be specified if `strategy` is defined']],
    ],
    ['a custom strategy', { strategy: 'example.com/fastest', preferredHolder: 'a' }, []],
  ])('%s', (_name, spec, expected) => {
    expect(errors(spec)).toEqual(expected);
  });

  it('drops the CoordinatedLeaderElection fields while the gate is off', () => {
    const obj = lease({
      holderIdentity: 'a',
      strategy: 'OldestEmulationVersion',
      preferredHolder: 'b',
    });
    strategy.default?.(obj);
    expect(obj.spec).toEqual({ holderIdentity: 'a' });
    const gated = lease({ strategy: 'OldestEmulationVersion' });
    leaseStrategy({ coordinatedLeaderElection: true }).default?.(gated);
    expect(gated.spec).toEqual({ strategy: 'OldestEmulationVersion' });
  });
});
