// Revision bookkeeping and history clean-up, after upstream TestAnnotationUtils and
// TestDeploymentController_cleanupDeployment.
import { describe, expect, it } from 'vitest';
import {
  byRevision,
  copyDeploymentAnnotations,
  maxRevision,
  replicaSetsToDelete,
  setNewReplicaSetAnnotations,
} from './revisions.js';
import type { Deployment, ReplicaSet } from './types.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';

function deployment(annotations: Record<string, string> = {}, historyLimit?: number): Deployment {
  return {
    metadata: { name: 'nginx', namespace: 'default', annotations },
    spec: {
      replicas: 10,
      revisionHistoryLimit: historyLimit,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    },
  };
}

function rs(
  name: string,
  opts: { revision?: string; spec?: number; status?: number } = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: '2016-05-20T01:00:00Z',
      generation: 1,
      annotations: opts.revision === undefined ? {} : { [REVISION]: opts.revision },
    },
    spec: { replicas: opts.spec ?? 0 },
    status: { replicas: opts.status ?? 0, observedGeneration: 1 },
  };
}

describe('setNewReplicaSetAnnotations', () => {
  it('raises the revision and keeps old ones in a bounded revision-history', () => {
    const d = deployment({ [REVISION]: '1' });
    const target = rs('x');
    for (let i = 10; i < 20; i++) {
      setNewReplicaSetAnnotations(d, target, i + 1, { exists: true, historyLimitChars: 5 });
      expect(target.metadata.annotations?.[REVISION]).toBe(String(i + 1));
      if (i >= 12) {
        expect(target.metadata.annotations?.[HISTORY]).toBe(`${i - 1},${i}`);
      }
    }
  });

  it('never lowers a revision, and records desired/max replicas on creation', () => {
    const target = rs('x', { revision: '7' });
    expect(setNewReplicaSetAnnotations(deployment(), target, 3, { exists: false })).toBe(true);
    expect(target.metadata.annotations).toEqual({
      [REVISION]: '7',
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '11',
    });
    expect(setNewReplicaSetAnnotations(deployment(), target, 3, { exists: true })).toBe(false);
  });

  it('rolling back to revision 1 when the latest is 3 makes it revision 4 with history 1', () => {
    const target = rs('x', { revision: '1' });
    setNewReplicaSetAnnotations(deployment(), target, 4, { exists: true });
    expect(target.metadata.annotations?.[REVISION]).toBe('4');
    expect(target.metadata.annotations?.[HISTORY]).toBe('1');
  });

  it('leaves a malformed revision alone', () => {
    const target = rs('x', { revision: 'abc' });
    expect(setNewReplicaSetAnnotations(deployment(), target, 4, { exists: true })).toBe(false);
    expect(target.metadata.annotations?.[REVISION]).toBe('abc');
  });
});

describe('copyDeploymentAnnotations', () => {
  it('copies change-cause and others, but not revision, replicas or last-applied', () => {
    const d = deployment({
      'kubernetes.io/change-cause': 'kubectl set image',
      team: 'a',
      [REVISION]: '9',
      'deployment.kubernetes.io/desired-replicas': '1',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    });
    const target = rs('x', { revision: '2' });
    expect(copyDeploymentAnnotations(d, target)).toBe(true);
    expect(target.metadata.annotations).toEqual({
      [REVISION]: '2',
      'kubernetes.io/change-cause': 'kubectl set image',
      team: 'a',
    });
    expect(copyDeploymentAnnotations(d, target)).toBe(false);
  });
});

describe('revisions', () => {
  it('max ignores malformed values; ordering is by revision, then creation', () => {
    const list = [
      rs('a', { revision: '3' }),
      rs('b', { revision: 'x' }),
      rs('c', { revision: '10' }),
    ];
    expect(maxRevision(list)).toBe(10);
    expect(
      [rs('c', { revision: '10' }), rs('a', { revision: '3' })]
        .sort(byRevision)
        .map((r) => r.metadata.name),
    ).toEqual(['a', 'c']);
  });
});

describe('replicaSetsToDelete', () => {
  const deleting = rs('foo-1');
  deleting.metadata.deletionTimestamp = '2016-05-20T03:00:00Z';
  const unobserved = rs('foo-2');
  unobserved.metadata.generation = 2;
  it.each([
    {
      name: 'limit 1 of 3',
      limit: 1,
      old: [
        rs('foo-1', { revision: '1' }),
        rs('foo-2', { revision: '2' }),
        rs('foo-3', { revision: '3' }),
      ],
      want: ['foo-1', 'foo-2'],
    },
    {
      name: 'only fully scaled-down ones',
      limit: 0,
      old: [
        rs('foo-1'),
        rs('foo-2', { status: 1 }),
        rs('foo-3', { spec: 1 }),
        rs('foo-4', { spec: 1, status: 1 }),
      ],
      want: ['foo-1'],
    },
    { name: 'limit 0 of 2', limit: 0, old: [rs('foo-1'), rs('foo-2')], want: ['foo-1', 'foo-2'] },
    {
      name: 'all running',
      limit: 0,
      old: [rs('foo-1', { spec: 1, status: 1 }), rs('foo-2', { spec: 1, status: 1 })],
      want: [],
    },
    { name: 'already being deleted', limit: 0, old: [deleting], want: [] },
    { name: 'status not yet observed', limit: 0, old: [unobserved], want: [] },
    {
      name: 'unlimited history',
      limit: 2147483647,
      old: [rs('foo-1'), rs('foo-2'), rs('foo-3')],
      want: [],
    },
    { name: 'within the limit', limit: 10, old: [rs('foo-1'), rs('foo-2')], want: [] },
  ])('$name', ({ limit, old, want }) => {
    expect(replicaSetsToDelete(deployment({}, limit), old).map((r) => r.metadata.name)).toEqual(
      want,
    );
  });
});
