import { describe, expect, it } from 'vitest';
import { parsePodList, parseTopCpu, readyPods } from './pods.js';

const pod = (name: string, ready: string, restarts: number, deleting = false): unknown => ({
  metadata: {
    name,
    uid: `uid-${name}`,
    ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  status: {
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: ready },
    ],
    containerStatuses: [{ restartCount: restarts }],
  },
});

describe('parsePodList', () => {
  const list = JSON.stringify({
    items: [
      pod('a', 'True', 0),
      pod('b', 'False', 1),
      pod('c', 'True', 2, true),
      { metadata: { name: 'pending' } },
    ],
  });

  it('reads name, uid, readiness, restarts and deletion', () => {
    expect(parsePodList(list)).toEqual([
      { name: 'a', uid: 'uid-a', isReady: true, restarts: 0, isTerminating: false },
      { name: 'b', uid: 'uid-b', isReady: false, restarts: 1, isTerminating: false },
      { name: 'c', uid: 'uid-c', isReady: true, restarts: 2, isTerminating: true },
      { name: 'pending', uid: '', isReady: false, restarts: 0, isTerminating: false },
    ]);
  });

  it('counts only ready pods that are not being deleted', () => {
    expect(readyPods(parsePodList(list)).map((p) => p.name)).toEqual(['a']);
  });

  it('accepts an empty list', () => {
    expect(parsePodList('{"kind":"List","items":[]}')).toEqual([]);
  });
});

describe('parseTopCpu', () => {
  it('reads millicores and whole cores, skipping the header and odd lines', () => {
    const text = `NAME          CPU(cores)   MEMORY(bytes)
web-a         23m          20Mi
web-b         1            20Mi
web-c         <unknown>    20Mi
`;
    expect([...parseTopCpu(text)]).toEqual([
      ['web-a', 23],
      ['web-b', 1000],
    ]);
  });
});
