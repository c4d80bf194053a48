// ReplicaSet status: counts, ReplicaFailure, change detection, the availability requeue.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import {
  calculateStatus,
  isStatusUpToDate,
  nextAvailableCheckMs,
  withObservedGeneration,
} from './status.js';
import type { ReplicaSetStatus } from './status.js';

const now = new Date('2025-06-15T12:00:00Z');
const secondsAgo = (s: number): string => new Date(now.getTime() - s * 1000).toISOString();

function rs(
  opts: { replicas?: number; minReadySeconds?: number; status?: object } = {},
): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec: {
      replicas: opts.replicas ?? 3,
      minReadySeconds: opts.minReadySeconds ?? 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } } },
    },
    ...(opts.status ? { status: opts.status } : {}),
  };
}

function pod(labels: Record<string, string>, readySecondsAgo?: number): KubeObject {
  return {
    metadata: { name: 'p', labels },
    status: {
      phase: 'Running',
      conditions:
        readySecondsAgo === undefined
          ? [{ type: 'Ready', status: 'False' }]
          : [{ type: 'Ready', status: 'True', lastTransitionTime: secondsAgo(readySecondsAgo) }],
    },
  };
}

const full = { app: 'web', tier: 'front' };
const partial = { app: 'web' };

describe('calculateStatus', () => {
  it.each<[string, KubeObject[], number, Partial<ReplicaSetStatus>]>([
    ['no pods', [], 0, { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0 }],
    [
      'labels and readiness',
      [pod(full, 5), pod(partial, 5), pod(full)],
      0,
      { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    ],
    [
      'minReadySeconds holds back availability',
      [pod(full, 5), pod(full, 20), pod(full)],
      10,
      { replicas: 3, readyReplicas: 2, availableReplicas: 1 },
    ],
  ])('%s', (_name, pods, minReadySeconds, want) => {
    expect(calculateStatus(rs({ minReadySeconds }), pods, undefined, now)).toMatchObject(want);
  });

  it.each([
    ['too few pods', 1, 'FailedCreate'],
    ['too many pods', 5, 'FailedDelete'],
  ])('sets ReplicaFailure on an error with %s', (_name, count, reason) => {
    const pods = Array.from({ length: count }, () => pod(full));
    const status = calculateStatus(rs(), pods, new Error('quota exceeded'), now);
    expect(status.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason,
        message: 'quota exceeded',
        lastTransitionTime: '2025-06-15T12:00:00Z',
      },
    ]);
  });

  const failing = {
    replicas: 1,
    conditions: [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'old' },
    ],
  };

  it('keeps an existing ReplicaFailure as it is', () => {
    const status = calculateStatus(rs({ status: failing }), [], new Error('new'), now);
    expect(status.conditions).toEqual(failing.conditions);
  });

  it('removes ReplicaFailure after a successful sync', () => {
    const status = calculateStatus(rs({ status: failing }), [], undefined, now);
    expect(status).not.toHaveProperty('conditions');
  });
});

describe('isStatusUpToDate', () => {
  const counts = { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 };
  it.each<[string, object, Partial<ReplicaSetStatus>, boolean]>([
    ['same counts, generation observed', { ...counts, observedGeneration: 2 }, {}, true],
    ['generation not observed', { ...counts, observedGeneration: 1 }, {}, false],
    ['replicas changed', { ...counts, observedGeneration: 2 }, { replicas: 3 }, false],
    ['ready changed', { ...counts, observedGeneration: 2 }, { readyReplicas: 2 }, false],
    ['available changed', { ...counts, observedGeneration: 2 }, { availableReplicas: 0 }, false],
    [
      'condition added',
      { ...counts, observedGeneration: 2 },
      { conditions: [{ type: 'ReplicaFailure', status: 'True' }] },
      false,
    ],
    ['absent counts read as zero', { replicas: 0, observedGeneration: 2 }, { replicas: 0 }, true],
  ])('%s: %s', (_name, stored, change, want) => {
    const next = { ...counts, ...change };
    if (change.replicas === 0) {
      Object.assign(next, { fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 });
    }
    expect(isStatusUpToDate(rs({ status: stored }), next)).toBe(want);
  });

  it('stamps observedGeneration', () => {
    expect(withObservedGeneration(rs(), { replicas: 1 })).toEqual({
      replicas: 1,
      observedGeneration: 2,
    });
  });
});

describe('nextAvailableCheckMs', () => {
  it.each<[string, KubeObject[], number, number | undefined]>([
    ['no minReadySeconds', [pod(full, 1)], 0, undefined],
    ['no ready pod', [pod(full)], 10, undefined],
    ['all available', [pod(full, 30)], 10, undefined],
    ['the soonest pod decides', [pod(full, 2), pod(full, 7), pod(full, 30)], 10, 3000],
  ])('%s', (_name, pods, minReadySeconds, want) => {
    expect(nextAvailableCheckMs(pods, minReadySeconds, now)).toBe(want);
  });
});
