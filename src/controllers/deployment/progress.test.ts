// Status and conditions, after upstream deployment_util_test.go (complete, progressing, timed
// out, set condition) and progress_test.go (syncRolloutStatus, requeueStuckDeployment).
import { describe, expect, it } from 'vitest';
import { getCondition, newCondition, setCondition } from './conditions.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  pausedCondition,
  progressCheckDelayMs,
  rolloutStatus,
} from './progress.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types.js';

const T0 = Date.parse('2016-01-01T00:00:00Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

function deployment(
  replicas: number,
  status: DeploymentStatus = {},
  deadline?: number,
): Deployment {
  return {
    metadata: { name: 'foo', namespace: 'default', generation: 1 },
    spec: {
      replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      ...(deadline === undefined ? {} : { progressDeadlineSeconds: deadline }),
    },
    status,
  };
}

const counts = (replicas: number, updated: number, ready: number, available: number) => ({
  replicas,
  updatedReplicas: updated,
  readyReplicas: ready,
  availableReplicas: available,
});

function progressing(reason: string, status: 'True' | 'False' | 'Unknown', second: number) {
  return newCondition({ type: 'Progressing', status, reason, message: 'm' }, at(second));
}

function rs(name: string, spec: number, replicas: number, available: number): ReplicaSet {
  return {
    metadata: { name, uid: name },
    spec: { replicas: spec },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

describe('deploymentComplete', () => {
  it.each([
    { name: 'min but not all available', s: counts(5, 5, 5, 4), want: false },
    { name: 'all updated and available', s: counts(5, 5, 5, 5), want: true },
    { name: 'all available, not all updated', s: counts(5, 4, 5, 5), want: false },
    { name: 'old pods still running', s: counts(6, 5, 5, 5), want: false },
    { name: 'never came up', s: counts(5, 5, 0, 0), want: false },
  ])('$name', ({ s, want }) => {
    expect(deploymentComplete(deployment(5), { ...s, observedGeneration: 1 })).toBe(want);
  });

  it('needs the current generation observed', () => {
    expect(
      deploymentComplete(deployment(5), { ...counts(5, 5, 5, 5), observedGeneration: 0 }),
    ).toBe(false);
  });
});

describe('deploymentProgressing', () => {
  it.each([
    { name: 'more updated pods', old: counts(10, 4, 4, 4), next: counts(10, 6, 4, 4), want: true },
    { name: 'nothing moved', old: counts(10, 4, 4, 4), next: counts(10, 4, 4, 4), want: false },
    { name: 'old pods removed', old: counts(10, 4, 6, 6), next: counts(8, 4, 6, 6), want: true },
    { name: 'fewer new pods', old: counts(10, 7, 3, 3), next: counts(10, 6, 3, 3), want: false },
    {
      name: 'fewer overall, more new',
      old: counts(10, 4, 7, 7),
      next: counts(8, 8, 5, 5),
      want: true,
    },
    { name: 'more ready pods', old: counts(10, 10, 9, 8), next: counts(10, 10, 10, 8), want: true },
    {
      name: 'more available pods',
      old: counts(10, 10, 10, 9),
      next: counts(10, 10, 10, 10),
      want: true,
    },
  ])('$name', ({ old, next, want }) => {
    expect(deploymentProgressing(deployment(10, old), next)).toBe(want);
  });
});

describe('deploymentTimedOut', () => {
  const withCondition = (c: DeploymentCondition, deadline?: number): Deployment =>
    deployment(1, { conditions: [c] }, deadline);
  it.each([
    { name: 'no deadline', d: withCondition(progressing('', 'True', 69)), now: 80, want: false },
    {
      name: 'infinite deadline',
      d: withCondition(progressing('', 'True', 69), 2147483647),
      now: 80,
      want: false,
    },
    {
      name: '10s deadline, 11s idle',
      d: withCondition(progressing('', 'True', 69), 10),
      now: 80,
      want: true,
    },
    {
      name: '10s deadline, 9s idle',
      d: withCondition(progressing('', 'True', 71), 10),
      now: 80,
      want: false,
    },
    {
      name: 'last rollout completed',
      d: withCondition(progressing('NewReplicaSetAvailable', 'True', 0), 10),
      now: 80,
      want: false,
    },
    {
      name: 'already timed out',
      d: withCondition(progressing('ProgressDeadlineExceeded', 'False', 79), 10),
      now: 80,
      want: true,
    },
  ])('$name', ({ d, now, want }) => {
    expect(deploymentTimedOut(d, d.status ?? {}, at(now))).toBe(want);
  });
});

describe('setCondition', () => {
  it('adds, replaces by type (last), and keeps the transition time while the status holds', () => {
    const status: DeploymentStatus = {};
    setCondition(status, progressing('A', 'True', 1));
    setCondition(
      status,
      newCondition({ type: 'Available', status: 'True', reason: 'R', message: 'm' }, at(2)),
    );
    setCondition(status, progressing('B', 'True', 3));
    expect(status.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ['Available', 'R'],
      ['Progressing', 'B'],
    ]);
    const p = getCondition(status, 'Progressing');
    expect(p?.lastUpdateTime).toBe('2016-01-01T00:00:03Z');
    expect(p?.lastTransitionTime).toBe('2016-01-01T00:00:01Z');
    setCondition(status, progressing('B', 'True', 9));
    expect(getCondition(status, 'Progressing')?.lastUpdateTime).toBe('2016-01-01T00:00:03Z');
    setCondition(status, progressing('C', 'False', 10));
    expect(getCondition(status, 'Progressing')?.lastTransitionTime).toBe('2016-01-01T00:00:10Z');
  });
});

describe('calculateStatus', () => {
  it('sums the replica sets, omits zero counts, and sets Available', () => {
    const d = deployment(3);
    const newRS = rs('new', 2, 2, 1);
    const status = calculateStatus([rs('old', 1, 1, 1), newRS], newRS, d, at(0));
    expect(status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
    });
    expect(getCondition(status, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    const empty = calculateStatus([], undefined, deployment(0), at(0));
    expect(empty).toEqual({
      observedGeneration: 1,
      conditions: [expect.objectContaining({ reason: 'MinimumReplicasAvailable' })],
    });
  });
});

describe('rolloutStatus', () => {
  const newRS = rs('foo-new', 3, 3, 3);
  it.each([
    {
      name: 'complete',
      d: deployment(
        3,
        { ...counts(3, 3, 3, 2), conditions: [progressing('ReplicaSetUpdated', 'True', 0)] },
        600,
      ),
      all: [newRS],
      want: ['True', 'NewReplicaSetAvailable', 'ReplicaSet "foo-new" has successfully progressed.'],
    },
    {
      name: 'progressing',
      d: deployment(
        3,
        { ...counts(4, 2, 2, 2), conditions: [progressing('ReplicaSetUpdated', 'True', 0)] },
        600,
      ),
      all: [rs('foo-old', 1, 1, 1), rs('foo-new', 3, 3, 2)],
      want: ['True', 'ReplicaSetUpdated', 'ReplicaSet "foo-new" is progressing.'],
    },
    {
      name: 'timed out',
      d: deployment(
        3,
        { ...counts(4, 3, 2, 2), conditions: [progressing('ReplicaSetUpdated', 'True', 0)] },
        60,
      ),
      all: [rs('foo-old', 1, 1, 1), rs('foo-new', 3, 3, 1)],
      want: [
        'False',
        'ProgressDeadlineExceeded',
        'ReplicaSet "foo-new" has timed out progressing.',
      ],
    },
  ])('$name', ({ d, all, want }) => {
    const fresh = all[all.length - 1];
    const c = getCondition(rolloutStatus(all, fresh, d, at(120)), 'Progressing');
    expect([c?.status, c?.reason, c?.message]).toEqual(want);
  });

  it('drops Progressing without a deadline and copies an RS ReplicaFailure', () => {
    const d = deployment(1, { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] });
    const failing = rs('foo-new', 1, 0, 0);
    failing.status = {
      conditions: [
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: 'quota',
          lastTransitionTime: 'T',
        },
      ],
    };
    const status = rolloutStatus([failing], failing, d, at(1));
    expect(getCondition(status, 'Progressing')).toBeUndefined();
    expect(getCondition(status, 'ReplicaFailure')).toEqual({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'quota',
      lastTransitionTime: 'T',
      lastUpdateTime: 'T',
    });
  });
});

describe('progressCheckDelayMs', () => {
  it.each([
    {
      name: 'idle rollout: at the deadline plus a second',
      cond: progressing('ReplicaSetUpdated', 'True', 30),
      now: 60,
      want: 571_000,
    },
    {
      name: 'overdue: a second',
      cond: progressing('ReplicaSetUpdated', 'True', 0),
      now: 700,
      want: 1000,
    },
    {
      name: 'already timed out',
      cond: progressing('ProgressDeadlineExceeded', 'False', 0),
      now: 60,
      want: undefined,
    },
    { name: 'no condition yet', cond: undefined, now: 60, want: undefined },
  ])('$name', ({ cond, now, want }) => {
    const d = deployment(3, { conditions: cond ? [cond] : [] }, 600);
    expect(progressCheckDelayMs(d, counts(3, 1, 1, 1), at(now))).toBe(want);
  });

  it('is not needed once the rollout is complete', () => {
    const d = deployment(3, { conditions: [progressing('ReplicaSetUpdated', 'True', 0)] }, 600);
    expect(
      progressCheckDelayMs(d, { ...counts(3, 3, 3, 3), observedGeneration: 1 }, at(1)),
    ).toBeUndefined();
  });
});

describe('pausedCondition', () => {
  it.each([
    { name: 'pausing', paused: true, current: 'ReplicaSetUpdated', want: 'DeploymentPaused' },
    { name: 'already paused', paused: true, current: 'DeploymentPaused', want: undefined },
    { name: 'resuming', paused: false, current: 'DeploymentPaused', want: 'DeploymentResumed' },
    { name: 'running', paused: false, current: 'ReplicaSetUpdated', want: undefined },
    { name: 'timed out stays', paused: true, current: 'ProgressDeadlineExceeded', want: undefined },
  ])('$name', ({ paused, current, want }) => {
    const d = deployment(1, { conditions: [progressing(current, 'True', 0)] }, 600);
    d.spec = { ...d.spec, paused };
    const c = pausedCondition(d, at(5));
    expect(c?.reason).toBe(want);
    if (c) {
      expect(c.status).toBe('Unknown');
      expect(c.message).toBe(paused ? 'Deployment is paused' : 'Deployment is resumed');
    }
  });
});
