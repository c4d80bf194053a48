// The rolling-update plans, after upstream rolling_test.go's tables (reconcileNewReplicaSet,
// reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate).
import { describe, expect, it } from 'vitest';
import type { IntOrString } from '../../apis/core/v1/types.js';
import { newReplicaSetTarget, planOldScaleDown } from './rolling.js';
import type { Deployment, ReplicaSet } from './types.js';

function deployment(replicas: number, surge: IntOrString, unavailable: IntOrString): Deployment {
  return {
    metadata: { name: 'foo', namespace: 'default', uid: 'd1' },
    spec: {
      replicas,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
      },
    },
  };
}

function rs(name: string, replicas: number, available = 0, hour = 1): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: `2016-05-20T0${hour}:00:00Z` },
    spec: { replicas },
    status: { replicas, availableReplicas: available },
  };
}

describe('newReplicaSetTarget', () => {
  it.each([
    { replicas: 10, surge: 0, old: 10, current: 0, want: undefined },
    { replicas: 10, surge: 2, old: 10, current: 0, want: 2 },
    { replicas: 10, surge: 2, old: 5, current: 0, want: 7 },
    { replicas: 10, surge: 2, old: 10, current: 2, want: undefined },
    { replicas: 10, surge: 2, old: 2, current: 11, want: 10 },
    { replicas: 4, surge: '25%', old: 4, current: 0, want: 1 },
    { replicas: 10, surge: 2, old: 0, current: 10, want: undefined },
  ])(
    '$replicas replicas, surge $surge, old RS $old, new RS $current -> $want',
    ({ replicas, surge, old, current, want }) => {
      const d = deployment(replicas, surge, 0);
      const newRS = rs('new', current);
      expect(newReplicaSetTarget(d, [rs('old', old), newRS], newRS)).toBe(want);
    },
  );
});

describe('planOldScaleDown', () => {
  it.each([
    {
      name: 'maxUnavailable 0 resolves to 1: one old pod goes',
      unavailable: 0,
      old: [10, 10],
      newRS: [0, 0],
      want: [9],
    },
    { name: 'two may be unavailable', unavailable: 2, old: [10, 10], newRS: [0, 0], want: [8] },
    {
      name: 'unhealthy old replicas go first, and are enough',
      unavailable: 2,
      old: [10, 8],
      newRS: [0, 0],
      want: [8],
    },
    {
      name: 'one unhealthy, then one available',
      unavailable: 2,
      old: [10, 9],
      newRS: [0, 0],
      want: [9, 8],
    },
    {
      name: "the new RS's unavailable pods hold old ones back",
      unavailable: 2,
      old: [8, 8],
      newRS: [2, 0],
      want: [],
    },
    {
      name: 'available new pods let old ones go',
      unavailable: 1,
      old: [8, 8],
      newRS: [3, 3],
      want: [6],
    },
    {
      name: 'below minimum availability only broken replicas go',
      unavailable: 2,
      old: [10, 1],
      newRS: [0, 0],
      want: [8],
    },
    { name: 'no old pods: nothing to do', unavailable: 2, old: [0, 0], newRS: [10, 10], want: [] },
  ])('$name', ({ unavailable, old, newRS, want }) => {
    const d = deployment(10, 0, unavailable);
    const oldRS = rs('old', old[0] ?? 0, old[1]);
    const fresh = rs('new', newRS[0] ?? 0, newRS[1], 2);
    const steps = planOldScaleDown(d, [oldRS, fresh], [oldRS], fresh);
    expect(steps.map((s) => s.replicas)).toEqual(want);
    expect(steps.every((s) => s.name === 'old')).toBe(true);
  });

  it('limits unhealthy clean-up to what may be scaled down', () => {
    // 12 pods, 8 must stay available and the new RS's 2 are not yet: 2 of the 4 broken go.
    const d = deployment(10, 2, 2);
    const oldRS = rs('old', 10, 6);
    const fresh = rs('new', 2, 0, 2);
    expect(planOldScaleDown(d, [oldRS, fresh], [oldRS], fresh)).toEqual([
      { name: 'old', replicas: 8 },
    ]);
  });

  it('scales the oldest replica set down first', () => {
    const d = deployment(4, 1, 2);
    const oldest = rs('oldest', 2, 2, 1);
    const older = rs('older', 2, 2, 2);
    const fresh = rs('new', 1, 0, 3);
    const all = [older, oldest, fresh];
    expect(planOldScaleDown(d, all, [older, oldest], fresh)).toEqual([
      { name: 'oldest', replicas: 0 },
    ]);
  });
});
