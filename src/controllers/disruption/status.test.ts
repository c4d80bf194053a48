// PodDisruptionBudget status maths: healthy pods, disruptedPods expiry, the DisruptionAllowed
// condition and when nothing needs writing (upstream disruption_test.go cases, as tables).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import {
  buildDisruptedPodMap,
  conditionsAreUpToDate,
  countHealthyPods,
  failSafeStatus,
  nextStatus,
  setStatusCondition,
} from './status.js';
import type { Condition, PodDisruptionBudget } from './types.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (seconds: number): string =>
  new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, opts: { ready?: boolean; deleting?: boolean } = {}): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'default',
      ...(opts.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

function pdb(status: PodDisruptionBudget['status'] = {}, generation = 1): PodDisruptionBudget {
  return { metadata: { name: 'web', namespace: 'default', generation }, spec: {}, status };
}

const allowed = (status: 'True' | 'False', reason: string, generation = 1): Condition => ({
  type: 'DisruptionAllowed',
  status,
  reason,
  message: '',
  observedGeneration: generation,
  lastTransitionTime: ago(600),
});

describe('countHealthyPods', () => {
  it.each([
    ['ready pods count', [pod('a'), pod('b')], {}, 2],
    ['unready pods do not', [pod('a'), pod('b', { ready: false })], {}, 1],
    ['deleting pods do not', [pod('a'), pod('b', { deleting: true })], {}, 1],
    ['pods an eviction just let go do not', [pod('a'), pod('b')], { b: ago(10) }, 1],
    ['an expired disruption counts again', [pod('a'), pod('b')], { b: ago(121) }, 2],
  ])('%s', (_name, pods, disrupted: Record<string, string>, want) => {
    expect(countHealthyPods(pods, disrupted, NOW)).toBe(want);
  });
});

describe('buildDisruptedPodMap', () => {
  it('keeps live entries, drops deleting, vanished and expired pods, and rechecks at the first expiry', () => {
    const pods = [pod('live'), pod('later'), pod('deleting', { deleting: true }), pod('expired')];
    const got = buildDisruptedPodMap(
      pods,
      pdb({
        disruptedPods: {
          live: ago(30),
          later: ago(10),
          deleting: ago(10),
          expired: ago(121),
          gone: ago(5),
        },
      }),
      NOW,
    );
    expect(got.disruptedPods).toEqual({ live: ago(30), later: ago(10) });
    expect(got.recheckAt).toEqual(new Date(NOW.getTime() + 90_000));
    expect(got.notDeleted.map((p) => p.metadata.name)).toEqual(['expired']);
  });

  it('is empty with no recheck when the budget has no map', () => {
    expect(buildDisruptedPodMap([pod('a')], pdb(), NOW)).toEqual({
      disruptedPods: {},
      notDeleted: [],
    });
  });
});

describe('nextStatus', () => {
  const counts = (currentHealthy: number, desiredHealthy: number, expectedPods: number) => ({
    currentHealthy,
    desiredHealthy,
    expectedPods,
    disruptedPods: {},
  });

  it.each([
    ['healthy above desired', counts(3, 2, 3), [1, 'True', 'SufficientPods']],
    ['healthy equal to desired', counts(2, 2, 2), [0, 'False', 'InsufficientPods']],
    ['healthy below desired', counts(1, 2, 2), [0, 'False', 'InsufficientPods']],
    ['no pods expected', counts(2, 0, 0), [0, 'False', 'InsufficientPods']],
  ] as const)('%s', (_name, c, [disruptionsAllowed, condStatus, reason]) => {
    const got = nextStatus(pdb({}, 3), c, NOW);
    expect(got).toEqual({
      observedGeneration: 3,
      disruptionsAllowed,
      currentHealthy: c.currentHealthy,
      desiredHealthy: c.desiredHealthy,
      expectedPods: c.expectedPods,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: condStatus,
          reason,
          message: '',
          observedGeneration: 3,
          lastTransitionTime: ago(0),
        },
      ],
    });
  });

  it('writes nothing when the stored status is current', () => {
    const current = pdb({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [allowed('True', 'SufficientPods')],
    });
    expect(nextStatus(current, counts(3, 2, 3), NOW)).toBeUndefined();
  });

  it.each([
    ['a new generation', { observedGeneration: 1 }, 2],
    ['a stale condition', { conditions: [allowed('False', 'InsufficientPods')] }, 1],
    ['a changed disruptedPods map', { disruptedPods: { a: ago(1) } }, 1],
  ])('writes on %s', (_name, change, generation) => {
    const stored = pdb(
      {
        observedGeneration: 1,
        disruptionsAllowed: 1,
        currentHealthy: 3,
        desiredHealthy: 2,
        expectedPods: 3,
        conditions: [allowed('True', 'SufficientPods')],
        ...change,
      },
      generation,
    );
    expect(nextStatus(stored, counts(3, 2, 3), NOW)).toBeDefined();
  });

  it('keeps the transition time while the condition holds, and keeps other conditions', () => {
    const other: Condition = { ...allowed('True', 'X'), type: 'Other' };
    const stored = pdb({ conditions: [allowed('True', 'SufficientPods'), other] }, 2);
    const got = nextStatus(stored, counts(3, 1, 3), NOW);
    expect(got?.conditions).toEqual([
      { ...allowed('True', 'SufficientPods'), observedGeneration: 2 },
      other,
    ]);
  });
});

describe('conditions', () => {
  it.each([
    [1, [allowed('True', 'SufficientPods')], 1, true],
    [0, [allowed('False', 'InsufficientPods')], 1, true],
    [0, [allowed('False', 'SyncFailed')], 1, false],
    [1, [allowed('False', 'InsufficientPods')], 1, false],
    [1, [], 1, false],
    [1, [allowed('True', 'SufficientPods')], 2, false],
  ])('disruptionsAllowed %i with %j at generation %i: up to date %s', (n, conds, gen, want) => {
    const stored = pdb({ observedGeneration: 1, disruptionsAllowed: n, conditions: conds }, gen);
    expect(conditionsAreUpToDate(stored)).toBe(want);
  });

  it('setStatusCondition moves the transition time only when the status flips', () => {
    const old = [allowed('True', 'SufficientPods')];
    const same = setStatusCondition(old, { ...old[0]!, reason: 'Other' }, NOW);
    expect(same[0]?.lastTransitionTime).toBe(ago(600));
    const flipped = setStatusCondition(old, { ...old[0]!, status: 'False' }, NOW);
    expect(flipped[0]?.lastTransitionTime).toBe(ago(0));
  });
});

describe('failSafeStatus', () => {
  it('allows no disruption and says why, keeping the counts and the observed generation', () => {
    const stored = pdb({
      observedGeneration: 1,
      disruptionsAllowed: 2,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 3,
      conditions: [allowed('True', 'SufficientPods')],
    });
    expect(failSafeStatus(stored, 'found no controllers for pod "a"', NOW)).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 0,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 3,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: 'False',
          reason: 'SyncFailed',
          message: 'found no controllers for pod "a"',
          observedGeneration: 1,
          lastTransitionTime: ago(0),
        },
      ],
    });
  });
});
