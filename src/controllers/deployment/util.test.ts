// Table tests of the rollout maths, after upstream deployment_util_test.go's tables.
import { describe, expect, it } from 'vitest';
import type { IntOrString, PodTemplateSpec } from '../../apis/core/v1/types.js';
import type { Deployment, ReplicaSet } from './types.js';
import {
  canonicalJson,
  computeHash,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  fnv32a,
  isSaturated,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  replicaSetFraction,
  resolveFenceposts,
  safeEncodeString,
} from './util.js';

function deployment(
  replicas: number,
  opts: { surge?: IntOrString; unavailable?: IntOrString; recreate?: boolean } = {},
): Deployment {
  return {
    metadata: { name: 'nginx', namespace: 'default', uid: 'd1', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { name: 'nginx' } },
      template: template('nginx'),
      strategy: opts.recreate
        ? { type: 'Recreate' }
        : {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: opts.surge ?? 1, maxUnavailable: opts.unavailable ?? 1 },
          },
    },
  };
}

function template(image: string, labels: Record<string, string> = { name: 'nginx' }) {
  return {
    metadata: { labels },
    spec: { containers: [{ name: 'c', image, imagePullPolicy: 'Always' }] },
  } satisfies PodTemplateSpec;
}

function rs(
  name: string,
  replicas: number,
  opts: { created?: string; template?: PodTemplateSpec; annotations?: Record<string, string> } = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: opts.created ?? '2016-05-20T01:00:00Z',
      annotations: opts.annotations,
    },
    spec: { replicas, template: opts.template ?? template('nginx') },
  };
}

describe('resolveFenceposts', () => {
  it.each([
    { surge: '0%', unavailable: '0%', desired: 0, want: { surge: 0, unavailable: 1 } },
    { surge: '39%', unavailable: '39%', desired: 10, want: { surge: 4, unavailable: 3 } },
    { surge: undefined, unavailable: '39%', desired: 10, want: { surge: 0, unavailable: 3 } },
    { surge: '39%', unavailable: undefined, desired: 10, want: { surge: 4, unavailable: 0 } },
    { surge: undefined, unavailable: undefined, desired: 10, want: { surge: 0, unavailable: 1 } },
    { surge: '25%', unavailable: '25%', desired: 3, want: { surge: 1, unavailable: 0 } },
    { surge: 2, unavailable: 0, desired: 5, want: { surge: 2, unavailable: 0 } },
  ])(
    'surge $surge, unavailable $unavailable of $desired',
    ({ surge, unavailable, desired, want }) => {
      expect(resolveFenceposts(surge, unavailable, desired)).toEqual(want);
    },
  );

  it.each([
    ['oops', '39%'],
    ['55%', 'urg'],
  ])('rejects %s / %s', (surge, unavailable) => {
    expect(() => resolveFenceposts(surge, unavailable, 10)).toThrow(/not a percentage/);
  });
});

describe('maxUnavailable, minAvailable and maxSurge', () => {
  it.each([
    { name: 'less than replicas', d: deployment(10, { unavailable: 5 }), max: 5, min: 5 },
    { name: 'equal to replicas', d: deployment(10, { unavailable: 10 }), max: 10, min: 0 },
    { name: 'more than replicas', d: deployment(5, { unavailable: 10 }), max: 5, min: 0 },
    { name: 'zero replicas', d: deployment(0, { unavailable: 10 }), max: 0, min: 0 },
    { name: 'Recreate', d: deployment(10, { recreate: true }), max: 0, min: 0 },
    { name: 'percent below', d: deployment(10, { unavailable: '60%' }), max: 6, min: 4 },
    { name: 'percent of all', d: deployment(10, { unavailable: '100%' }), max: 10, min: 0 },
    { name: 'percent above', d: deployment(5, { unavailable: '100%' }), max: 5, min: 0 },
  ])('$name', ({ d, max, min }) => {
    expect(maxUnavailable(d)).toBe(max);
    expect(minAvailable(d)).toBe(min);
  });

  it('surge is 0 for Recreate and rounds up for RollingUpdate', () => {
    expect(maxSurge(deployment(10, { recreate: true }))).toBe(0);
    expect(maxSurge(deployment(10, { surge: '25%' }))).toBe(3);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    { name: 'cannot scale up: stays', recreate: false, replicas: 1, newRS: 5, surge: 1, want: 5 },
    { name: 'scale up to replicas', recreate: false, replicas: 6, newRS: 2, surge: 10, want: 6 },
    { name: 'Recreate: to replicas', recreate: true, replicas: 3, newRS: 1, surge: 1, want: 3 },
  ])('$name', ({ recreate, replicas, newRS, surge, want }) => {
    const d = deployment(replicas, { surge, recreate });
    const other = rs('other', 5);
    const mine = rs('new', newRS);
    expect(newRSNewReplicas(d, [other], mine)).toBe(want);
  });
});

describe('replicaSetFraction', () => {
  const frac = (p: {
    replicas: number;
    statusReplicas?: number;
    surge?: number;
    rsReplicas: number;
    max?: string;
  }): number => {
    const d = deployment(p.replicas, { surge: p.surge ?? 0, unavailable: 1 });
    d.status = { replicas: p.statusReplicas ?? 0 };
    const annotations: Record<string, string> = {};
    if (p.max !== undefined) {
      annotations['deployment.kubernetes.io/max-replicas'] = p.max;
    }
    return replicaSetFraction(rs('x', p.rsReplicas, { annotations }), d);
  };
  it.each([
    { name: 'empty deployment scales to 0', p: { replicas: 0, rsReplicas: 10 }, want: -10 },
    { name: 'no annotation, no status: no change', p: { replicas: 10, rsReplicas: 5 }, want: 0 },
    { name: 'annotation 0, no status', p: { replicas: 10, rsReplicas: 5, max: '0' }, want: 0 },
    {
      name: 'no annotation: from status.replicas',
      p: { replicas: 120, statusReplicas: 100, rsReplicas: 50 },
      want: 10,
    },
    {
      name: 'annotation 0: from status.replicas',
      p: { replicas: 120, statusReplicas: 100, rsReplicas: 50, max: '0' },
      want: 10,
    },
    { name: 'up by 1/5', p: { replicas: 120, rsReplicas: 50, max: '100' }, want: 10 },
    {
      name: 'up by 1/5 with surge',
      p: { replicas: 120, surge: 10, rsReplicas: 50, max: '110' },
      want: 9,
    },
    { name: 'down by 1/6', p: { replicas: 10, rsReplicas: 6, max: '12' }, want: -1 },
    {
      name: 'down by 1/6 with surge',
      p: { replicas: 100, surge: 10, rsReplicas: 50, max: '130' },
      want: -8,
    },
  ])('$name', ({ p, want }) => {
    expect(frac(p)).toBe(want);
  });
});

describe('template matching', () => {
  const withHash = (hash: string, labels: Record<string, string> = { name: 'nginx' }) =>
    template('nginx', { ...labels, 'pod-template-hash': hash });
  it.each([
    { name: 'same, same labels', a: withHash('v1'), b: withHash('v1'), want: true },
    { name: 'only the hash differs', a: withHash('v1'), b: withHash('v2'), want: true },
    { name: 'one has no hash', a: template('nginx'), b: withHash('v2'), want: true },
    { name: 'labels differ', a: template('nginx', { a: 'b' }), b: withHash('v1', {}), want: false },
    { name: 'images differ', a: template('nginx'), b: template('apache'), want: false },
    {
      name: 'null and empty fields count as absent',
      a: {
        metadata: { labels: { name: 'nginx' }, creationTimestamp: null },
        spec: template('nginx').spec,
      },
      b: { ...template('nginx'), spec: { ...template('nginx').spec, volumes: [] } },
      want: true,
    },
  ])('$name', ({ a, b, want }) => {
    expect(equalIgnoreHash(a as PodTemplateSpec, b)).toBe(want);
    expect(equalIgnoreHash(b, a as PodTemplateSpec)).toBe(want);
  });

  it('does not change its arguments', () => {
    const t = withHash('v1');
    equalIgnoreHash(t, template('nginx'));
    expect(t.metadata.labels['pod-template-hash']).toBe('v1');
  });

  it('finds the oldest RS with the template as new, and the rest as old', () => {
    const d = deployment(1);
    const newer = rs('newer', 1, { created: '2016-05-20T02:00:00Z' });
    const older = rs('older', 0, { created: '2016-05-20T01:00:00Z' });
    const old = rs('old', 1, { template: template('apache') });
    expect(findNewReplicaSet(d, [newer, old, older])?.metadata.name).toBe('older');
    expect(findOldReplicaSets(d, [newer, old, older]).map((r) => r.metadata.name)).toEqual([
      'newer',
      'old',
    ]);
    expect(findNewReplicaSet(d, [old])).toBeUndefined();
  });
});

describe('findActiveOrLatest and isSaturated', () => {
  const at = (name: string, replicas: number, hour: number) =>
    rs(name, replicas, { created: `2016-05-20T0${hour}:00:00Z` });
  it.each([
    { name: 'the one active', newRS: at('n', 0, 3), old: [at('a', 2, 1)], want: 'a' },
    { name: 'none active: the new one', newRS: at('n', 0, 3), old: [at('a', 0, 1)], want: 'n' },
    {
      name: 'none active, no new: newest',
      newRS: undefined,
      old: [at('a', 0, 1), at('b', 0, 2)],
      want: 'b',
    },
    { name: 'two active: none', newRS: at('n', 1, 3), old: [at('a', 2, 1)], want: undefined },
  ])('$name', ({ newRS, old, want }) => {
    expect(findActiveOrLatest(newRS, old)?.metadata.name).toBe(want);
  });

  it('needs size, desired-replicas and availability all equal to spec.replicas', () => {
    const d = deployment(3);
    const full = rs('n', 3, { annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } });
    expect(isSaturated(d, full)).toBe(false);
    full.status = { availableReplicas: 3 };
    expect(isSaturated(d, full)).toBe(true);
    expect(isSaturated(deployment(4), full)).toBe(false);
    expect(isSaturated(d, undefined)).toBe(false);
  });
});

describe('pod-template-hash', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('fnv32a(%j)', (text, want) => {
    expect(fnv32a(new TextEncoder().encode(text))).toBe(want);
  });

  it('safe-encodes digits into consonants and digits', () => {
    // Each character maps to the alphabet at (code point mod 27), as rand.SafeEncodeString.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(safeEncodeString('')).toBe('');
  });

  it('is stable, ignores key order, and changes with the template and collisionCount', () => {
    const a = template('nginx', { x: '1', y: '2' });
    const reordered = { spec: a.spec, metadata: { labels: { y: '2', x: '1' } } };
    const hash = computeHash(a);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(computeHash(reordered)).toBe(hash);
    expect(computeHash(structuredClone(a))).toBe(hash);
    expect(computeHash(template('apache', { x: '1', y: '2' }))).not.toBe(hash);
    expect(computeHash(a, 0)).not.toBe(hash);
    expect(computeHash(a, 1)).not.toBe(computeHash(a, 0));
    expect(canonicalJson(a)).toBe(canonicalJson(reordered));
  });
});
