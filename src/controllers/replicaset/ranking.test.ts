// Deletion order tables, ported from upstream TestSortingActivePodsWithRanks.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import {
  POD_DELETION_COST,
  getPodsToDelete,
  lessForDeletion,
  podDeletionCost,
  rankByRelatedPodsOnSameNode,
  sortForDeletion,
} from './ranking.js';

const now = new Date('2025-06-15T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const HOUR = 3600_000;
const then1Month = new Date('2025-05-15T12:00:00Z').toISOString();
const nowTime = now.toISOString();

interface PodArgs {
  node?: string;
  phase?: string;
  ready?: boolean;
  restarts?: number;
  readySince?: string;
  created?: string;
  cost?: string;
  uid?: string;
}

function pod(name: string, a: PodArgs = {}): KubeObject {
  return {
    metadata: {
      name,
      uid: a.uid ?? '',
      ...(a.created ? { creationTimestamp: a.created } : {}),
      ...(a.cost !== undefined ? { annotations: { [POD_DELETION_COST]: a.cost } } : {}),
    },
    spec: { nodeName: a.node ?? '' },
    status: {
      phase: a.phase ?? 'Pending',
      ...(a.ready
        ? {
            conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: a.readySince }],
            containerStatuses: [{ restartCount: a.restarts ?? 0 }],
          }
        : {}),
    },
  };
}

const running = (name: string, a: PodArgs): KubeObject =>
  pod(name, { node: 'node', phase: 'Running', ...a });
const unscheduled = pod('unscheduled');
const scheduledPending = pod('pending', { node: 'node' });
const unknownPhase = pod('unknown-phase', { node: 'node', phase: 'Unknown' });
const runningNotReady = running('not-ready', {});
const readyNoTransition = running('ready-no-last-transition-time', { ready: true });
const readyNow = running('ready-now', { ready: true, readySince: nowTime, created: nowTime });
const readyThen = running('ready-then', {
  ready: true,
  readySince: then1Month,
  created: then1Month,
});
const readyHighRestarts = running('ready-high-restarts', {
  ready: true,
  restarts: 9001,
  readySince: nowTime,
  created: nowTime,
});
const readyNowCreatedThen = running('ready-now-created-then', {
  ready: true,
  readySince: nowTime,
  created: then1Month,
});
const lowCost = running('low-cost', {
  ready: true,
  readySince: nowTime,
  created: then1Month,
  cost: '10',
});
const highCost = running('high-cost', {
  ready: true,
  readySince: nowTime,
  created: then1Month,
  cost: '100',
});
const unscheduled5h = pod('unscheduled-5h', { readySince: ago(5 * HOUR), created: ago(5 * HOUR) });
const unscheduled8h = pod('unscheduled-8h', { readySince: ago(8 * HOUR), created: ago(8 * HOUR) });
const readyFor = (name: string, ms: number): KubeObject =>
  pod(name, { phase: 'Running', ready: true, readySince: ago(ms), created: then1Month });
const ready2h = readyFor('ready-2h', 2 * HOUR);
const ready5h = readyFor('ready-5h', 5 * HOUR);
const ready8h = readyFor('ready-8h', 8 * HOUR);

describe('lessForDeletion', () => {
  it.each([
    [unscheduled, unscheduled],
    [scheduledPending, scheduledPending],
    [unknownPhase, unknownPhase],
    [runningNotReady, runningNotReady],
    [readyNowCreatedThen, readyNowCreatedThen],
    [readyNow, readyNow],
    [readyThen, readyThen],
    [readyHighRestarts, readyHighRestarts],
    // Same power-of-two age bucket: equivalent.
    [unscheduled5h, unscheduled8h],
    [ready5h, ready8h],
  ])('treats %#: %s and its peer as equivalent', (p1, p2) => {
    const [a, b] = [
      { pod: p1, rank: 1 },
      { pod: p2, rank: 1 },
    ];
    expect(lessForDeletion(a, b, now)).toBe(false);
    expect(lessForDeletion(b, a, now)).toBe(false);
  });

  it.each<[string, [KubeObject, number], [KubeObject, number]]>([
    ['unassigned before assigned', [unscheduled, 1], [scheduledPending, 2]],
    ['unassigned before assigned, whatever the rank', [unscheduled, 2], [scheduledPending, 1]],
    ['Pending before Unknown', [scheduledPending, 1], [unknownPhase, 2]],
    ['Unknown before Running', [unknownPhase, 1], [runningNotReady, 2]],
    ['not ready before ready', [runningNotReady, 1], [readyNoTransition, 1]],
    ['ready time zero before ready now', [readyNoTransition, 1], [readyNow, 1]],
    ['higher rank first', [readyNow, 2], [readyNoTransition, 1]],
    ['ready for less time first', [readyNow, 1], [readyThen, 1]],
    ['higher rank before ready time', [readyNow, 2], [readyThen, 1]],
    ['more restarts first', [readyHighRestarts, 1], [readyNow, 1]],
    ['higher rank before restarts', [readyNow, 2], [readyHighRestarts, 1]],
    ['newer first', [readyNow, 1], [readyNowCreatedThen, 1]],
    ['higher rank before creation', [readyNowCreatedThen, 2], [readyNow, 1]],
    ['lower deletion cost before rank', [lowCost, 2], [highCost, 1]],
    ['ready in a younger age bucket first', [ready2h, 1], [ready5h, 1]],
  ])('%s', (_name, [lesser, lesserRank], [greater, greaterRank]) => {
    const a = { pod: lesser, rank: lesserRank };
    const b = { pod: greater, rank: greaterRank };
    expect(lessForDeletion(a, b, now)).toBe(true);
    expect(lessForDeletion(b, a, now)).toBe(false);
  });

  it('breaks ties in one age bucket by UID', () => {
    const a = { pod: pod('a', { created: ago(5 * HOUR), uid: 'b-uid' }), rank: 0 };
    const b = { pod: pod('b', { created: ago(8 * HOUR), uid: 'a-uid' }), rank: 0 };
    expect(lessForDeletion(b, a, now)).toBe(true);
    expect(lessForDeletion(a, b, now)).toBe(false);
    // Without a reference time the exact times decide: newer first.
    expect(lessForDeletion(a, b)).toBe(true);
  });
});

describe('podDeletionCost', () => {
  it.each([
    [undefined, 0],
    ['10', 10],
    ['-7', -7],
    ['0', 0],
    ['+10', 0],
    ['008', 0],
    ['', 0],
    ['abc', 0],
    ['2147483647', 2147483647],
    ['2147483648', 0],
  ])('%s gives %d', (value, want) => {
    const p = pod('p', value === undefined ? {} : { cost: value });
    expect(podDeletionCost(p)).toBe(want);
  });
});

describe('sortForDeletion and getPodsToDelete', () => {
  const ordered = [
    unscheduled,
    scheduledPending,
    unknownPhase,
    runningNotReady,
    readyNoTransition,
    readyHighRestarts,
    readyNow,
    readyNowCreatedThen,
    readyThen,
  ];

  it('puts pods in deletion order whatever the input order', () => {
    const names = ordered.map((p) => p.metadata.name);
    for (const input of [ordered, [...ordered].reverse(), [...ordered.slice(4), ...ordered]]) {
      const unique = [...new Set(input)];
      const sorted = sortForDeletion(
        unique.map((p) => ({ pod: p, rank: 0 })),
        now,
      );
      expect(sorted.map((r) => r.pod.metadata.name)).toEqual(names);
    }
  });

  it('picks the first diff pods, or all without sorting', () => {
    const input = [...ordered].reverse();
    expect(getPodsToDelete(input, [], 2, now).map((p) => p.metadata.name)).toEqual([
      'unscheduled',
      'pending',
    ]);
    expect(getPodsToDelete(input, [], input.length, now)).toEqual(input);
  });

  it('ranks pods by active related pods on the same node', () => {
    const a = running('a', { node: 'n1' });
    const b = running('b', { node: 'n2' });
    const gone = { ...running('gone', { node: 'n2' }), status: { phase: 'Failed' } };
    const related = [a, b, running('x', { node: 'n1' }), gone];
    expect(rankByRelatedPodsOnSameNode([a, b], related).map((r) => r.rank)).toEqual([2, 1]);
    expect(getPodsToDelete([b, a], related, 1, now)).toEqual([a]);
  });
});
