// Proportional scaling, after upstream sync_test.go TestScale: each row resizes a deployment
// whose replica sets were sized for the `from` deployment (its replicas and surge).
import { describe, expect, it } from 'vitest';
import { setReplicasAnnotations } from './revisions.js';
import { planScale } from './scale.js';
import type { Deployment, ReplicaSet } from './types.js';
import { maxSurge } from './util.js';

const NEW = '2016-05-20T02:00:00Z';
const OLD = '2016-05-20T01:00:00Z';
const OLDER = '2016-05-20T00:00:00Z';

function deployment(replicas: number, surge = 0, unavailable = 0, image = 'foo'): Deployment {
  return {
    metadata: { name: 'foo', namespace: 'default', uid: 'd1', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { foo: 'bar' } },
      template: {
        metadata: { labels: { foo: 'bar' } },
        spec: { containers: [{ name: 'c', image }] },
      },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
      },
    },
  };
}

type Row = [name: string, replicas: number, created: string, available?: number];

function replicaSets(rows: Row[], sizedFor: Deployment, image = 'foo'): ReplicaSet[] {
  return rows.map(([name, replicas, created, available]) => {
    const rs: ReplicaSet = {
      metadata: { name, uid: name, creationTimestamp: created },
      spec: {
        replicas,
        template: {
          metadata: { labels: { foo: 'bar' } },
          spec: { containers: [{ name: 'c', image }] },
        },
      },
      status: { availableReplicas: available ?? 0 },
    };
    const desired = sizedFor.spec?.replicas ?? 0;
    setReplicasAnnotations(rs, desired, desired + maxSurge(sizedFor));
    return rs;
  });
}

function sizesAfter(
  d: Deployment,
  from: Deployment,
  newRow: Row | undefined,
  oldRows: Row[],
): Record<string, number> {
  const [newRS] = newRow ? replicaSets([newRow], from) : [];
  const oldRSs = replicaSets(oldRows, from, newRow ? 'old' : 'foo');
  const sizes: Record<string, number> = Object.fromEntries(
    [...(newRS ? [newRS] : []), ...oldRSs].map((rs) => [rs.metadata.name, rs.spec?.replicas ?? 0]),
  );
  for (const step of planScale(d, newRS, oldRSs)) {
    sizes[step.rs.metadata.name ?? ''] = step.replicas;
  }
  return sizes;
}

describe('planScale', () => {
  it.each<{
    name: string;
    d: Deployment;
    from: Deployment;
    newRS?: Row;
    old: Row[];
    want: Record<string, number>;
  }>([
    {
      name: 'normal scaling event: 10 -> 12',
      d: deployment(12),
      from: deployment(10),
      newRS: ['foo-v1', 10, NEW],
      old: [],
      want: { 'foo-v1': 12 },
    },
    {
      name: 'normal scaling event: 10 -> 5',
      d: deployment(5),
      from: deployment(10),
      newRS: ['foo-v1', 10, NEW],
      old: [],
      want: { 'foo-v1': 5 },
    },
    {
      name: 'proportional: 5 -> 10',
      d: deployment(10),
      from: deployment(5),
      newRS: ['foo-v2', 2, NEW],
      old: [['foo-v1', 3, OLD]],
      want: { 'foo-v2': 4, 'foo-v1': 6 },
    },
    {
      name: 'proportional: 5 -> 3',
      d: deployment(3),
      from: deployment(5),
      newRS: ['foo-v2', 2, NEW],
      old: [['foo-v1', 3, OLD]],
      want: { 'foo-v2': 1, 'foo-v1': 2 },
    },
    {
      name: 'proportional: 9 -> 4',
      d: deployment(4),
      from: deployment(9),
      newRS: ['foo-v2', 8, NEW],
      old: [['foo-v1', 1, OLD]],
      want: { 'foo-v2': 4, 'foo-v1': 0 },
    },
    {
      name: 'proportional: 7 -> 10',
      d: deployment(10),
      from: deployment(7),
      newRS: ['foo-v3', 2, NEW],
      old: [
        ['foo-v2', 3, OLD],
        ['foo-v1', 2, OLDER],
      ],
      want: { 'foo-v3': 3, 'foo-v2': 4, 'foo-v1': 3 },
    },
    {
      name: 'proportional: 13 -> 8',
      d: deployment(8),
      from: deployment(13),
      newRS: ['foo-v3', 2, NEW],
      old: [
        ['foo-v2', 8, OLD],
        ['foo-v1', 3, OLDER],
      ],
      want: { 'foo-v3': 1, 'foo-v2': 5, 'foo-v1': 2 },
    },
    {
      name: 'the leftover of 3 -> 4 goes to the newest',
      d: deployment(4),
      from: deployment(3),
      newRS: ['foo-v3', 1, NEW],
      old: [
        ['foo-v2', 1, OLD],
        ['foo-v1', 1, OLDER],
      ],
      want: { 'foo-v3': 2, 'foo-v2': 1, 'foo-v1': 1 },
    },
    {
      name: 'the leftover of 3 -> 2 comes from the oldest',
      d: deployment(2),
      from: deployment(3),
      newRS: ['foo-v3', 1, NEW],
      old: [
        ['foo-v2', 1, OLD],
        ['foo-v1', 1, OLDER],
      ],
      want: { 'foo-v3': 1, 'foo-v2': 1, 'foo-v1': 0 },
    },
    {
      name: 'no new RS: 4 -> 5 grows the latest first',
      d: deployment(5),
      from: deployment(4),
      old: [
        ['foo-v2', 2, OLD],
        ['foo-v1', 2, OLDER],
      ],
      want: { 'foo-v2': 3, 'foo-v1': 2 },
    },
    {
      name: 'to zero: 6 -> 0',
      d: deployment(0),
      from: deployment(6),
      newRS: ['foo-v3', 3, NEW],
      old: [
        ['foo-v2', 2, OLD],
        ['foo-v1', 1, OLDER],
      ],
      want: { 'foo-v3': 0, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'from zero: only the new RS grows',
      d: deployment(6),
      from: deployment(6),
      newRS: ['foo-v3', 0, NEW],
      old: [
        ['foo-v2', 0, OLD],
        ['foo-v1', 0, OLDER],
      ],
      want: { 'foo-v3': 6, 'foo-v2': 0, 'foo-v1': 0 },
    },
    {
      name: 'with surge pods: 10 -> 20',
      d: deployment(20, 2),
      from: deployment(10, 2),
      newRS: ['foo-v2', 6, NEW],
      old: [['foo-v1', 6, OLD]],
      want: { 'foo-v2': 11, 'foo-v1': 11 },
    },
    {
      name: 'size and surge both change',
      d: deployment(50, 6),
      from: deployment(10, 3),
      newRS: ['foo-v2', 5, NEW],
      old: [['foo-v1', 8, OLD]],
      want: { 'foo-v2': 22, 'foo-v1': 34 },
    },
    {
      name: 'size and template both change (no new RS yet)',
      d: deployment(14, 0, 0, 'bar'),
      from: deployment(10),
      old: [
        ['foo-v2', 7, NEW],
        ['foo-v1', 3, OLD],
      ],
      want: { 'foo-v2': 10, 'foo-v1': 4 },
    },
    {
      name: 'a saturated but unavailable new RS leaves old pods alone',
      d: deployment(2, 1, 1),
      from: deployment(2, 1, 1),
      newRS: ['foo-v2', 2, NEW, 0],
      old: [['foo-v1', 1, OLD]],
      want: { 'foo-v2': 2, 'foo-v1': 1 },
    },
    {
      name: 'a saturated and available new RS takes every old RS to 0',
      d: deployment(2, 1, 1),
      from: deployment(2, 1, 1),
      newRS: ['foo-v2', 2, NEW, 2],
      old: [['foo-v1', 1, OLD]],
      want: { 'foo-v2': 2, 'foo-v1': 0 },
    },
  ])('$name', ({ d, from, newRS, old, want }) => {
    expect(sizesAfter(d, from, newRS, old)).toEqual(want);
  });

  it('rewrites desired-replicas even when the proportional sizes stay the same', () => {
    const from = deployment(3);
    const [newRS, ...old] = replicaSets(
      [
        ['foo-v3', 2, NEW],
        ['foo-v2', 2, OLD],
        ['foo-v1', 1, OLDER],
      ],
      from,
    );
    const steps = planScale(deployment(5), newRS, old);
    expect(Object.fromEntries(steps.map((s) => [s.rs.metadata.name, s.replicas]))).toEqual({
      'foo-v3': 2,
      'foo-v2': 2,
      'foo-v1': 1,
    });
    expect(steps.every((s) => s.proportional !== undefined)).toBe(true);
  });

  it('does nothing for a Recreate deployment with several active replica sets', () => {
    const d: Deployment = {
      ...deployment(4),
      spec: { ...deployment(4).spec, strategy: { type: 'Recreate' } },
    };
    const [newRS, ...old] = replicaSets(
      [
        ['foo-v2', 1, NEW],
        ['foo-v1', 1, OLD],
      ],
      deployment(2),
    );
    expect(planScale(d, newRS, old)).toEqual([]);
  });
});
