// Pod update rules: what may change in a running Pod's spec and what may not.
import { describe, expect, it } from 'vitest';
import { coreV1Strategies } from './strategies.js';
import type { Pod } from './types.js';

const strategy = coreV1Strategies.Pod!;

function pod(): Pod {
  const p: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5' },
    spec: { containers: [{ name: 'app', image: 'node:20' }], activeDeadlineSeconds: 100 },
  };
  strategy.default!(p);
  return p;
}

const update = (mutate: (p: Pod) => void): string[] => {
  const old = pod();
  const next = structuredClone(old);
  mutate(next);
  return strategy.validateUpdate!(next, old).map((e) => `${e.field}: ${e.detail}`);
};

describe('Pod update', () => {
  it.each<[string, (p: Pod) => void]>([
    ['image', (p) => (p.spec!.containers![0]!.image = 'node:22')],
    ['shorter deadline', (p) => (p.spec!.activeDeadlineSeconds = 50)],
    ['labels', (p) => (p.metadata.labels = { a: 'b' })],
    ['added toleration', (p) => (p.spec!.tolerations = [{ key: 'k', operator: 'Exists' }])],
  ])('allows %s', (_n, mutate) => {
    expect(update(mutate)).toEqual([]);
  });

  it.each<[string, (p: Pod) => void, string]>([
    [
      'adding a container',
      (p) => p.spec!.containers!.push({ name: 'b', image: 'x' }),
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ],
    [
      'longer deadline',
      (p) => (p.spec!.activeDeadlineSeconds = 200),
      'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value',
    ],
    [
      'removed deadline',
      (p) => delete p.spec!.activeDeadlineSeconds,
      'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
    ],
    [
      'empty image',
      (p) => (p.spec!.containers![0]!.image = ''),
      'spec.containers[0].image: Required value',
    ],
  ])('rejects %s', (_n, mutate, expected) => {
    expect(update(mutate)).toContain(expected);
  });

  it('rejects other spec changes with upstream wording and a diff', () => {
    const [err] = update((p) => (p.spec!.restartPolicy = 'Never'));
    expect(err).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
    expect(err).toContain('- \trestartPolicy: "Always"');
    expect(err).toContain('+ \trestartPolicy: "Never"');
  });

  it('rejects changed metadata identity', () => {
    expect(update((p) => (p.metadata.uid = 'u2'))).toEqual([
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });
});
