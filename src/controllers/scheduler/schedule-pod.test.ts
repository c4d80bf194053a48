// The scheduling decision and its failure message (FitError plus the preemption diagnosis).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { buildNodeInfos } from './node-info.js';
import { fitErrorMessage, schedulePod } from './schedule-pod.js';

function node(name: string, spec: object = {}, cpu = '2'): KubeObject {
  return {
    metadata: { name, labels: {} },
    spec,
    status: {
      allocatable: { cpu, memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

let uid = 0;
function pod(cpu: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  uid++;
  return {
    metadata: { name: `p${uid}`, namespace: 'default', uid: String(uid) },
    spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...spec },
  };
}

describe('fitErrorMessage', () => {
  const s = (...reasons: string[]) => ({ code: 'Unschedulable' as const, reasons });
  it.each([
    [1, [s('Insufficient cpu')], '', '0/1 nodes are available: 1 Insufficient cpu.'],
    [
      2,
      [s('Insufficient cpu', 'Insufficient memory'), s('Insufficient cpu')],
      '',
      '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    ],
    // Go sorts the "count reason" strings, so 10 comes before 2.
    [12, [...Array(10).fill(s('b')), s('a'), s('a')], '', '0/12 nodes are available: 10 b, 2 a.'],
    [
      1,
      [s('x')],
      'preemption: 0/1 nodes are available: 1 y.',
      '0/1 nodes are available: 1 x. preemption: 0/1 nodes are available: 1 y..',
    ],
    [0, [], '', '0/0 nodes are available:'],
  ])('%d nodes %j %j', (n, statuses, post, expected) => {
    expect(fitErrorMessage(n, statuses, post)).toBe(expected);
  });
});

describe('schedulePod', () => {
  it('reports no nodes as a scheduler error', () => {
    expect(schedulePod(pod('1'), [])).toEqual({
      kind: 'error',
      message: 'no nodes available to schedule pods',
    });
  });

  it('picks the least allocated node', () => {
    const busy = { ...pod('1500m'), spec: { ...pod('1500m').spec, nodeName: 'a' } };
    const infos = buildNodeInfos([node('a'), node('b')], [busy], []);
    expect(schedulePod(pod('100m'), infos)).toEqual({ kind: 'fit', nodeName: 'b' });
  });

  it('counts assumed pods', () => {
    const assumed = { ...pod('1500m'), spec: { ...pod('1500m').spec, nodeName: 'a' } };
    const infos = buildNodeInfos([node('a')], [], [assumed]);
    expect(schedulePod(pod('1'), infos)).toMatchObject({ kind: 'unschedulable' });
  });

  it('ignores terminal pods', () => {
    const done: Pod = {
      ...pod('2'),
      spec: { ...pod('2').spec, nodeName: 'a' },
      status: { phase: 'Succeeded' },
    };
    expect(schedulePod(pod('2'), buildNodeInfos([node('a')], [done], []))).toEqual({
      kind: 'fit',
      nodeName: 'a',
    });
  });

  it.each([
    [
      'mixed reasons',
      [node('a', { unschedulable: true }), node('b')],
      pod('3'),
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    ],
    [
      'preemptionPolicy Never',
      [node('a')],
      pod('3', { preemptionPolicy: 'Never' }),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    ],
  ])('message: %s', (_name, nodes, p, message) => {
    expect(schedulePod(p, buildNodeInfos(nodes, [], []))).toEqual({
      kind: 'unschedulable',
      message,
    });
  });

  it('reports what is still missing when even evicting lower-priority pods would not help', () => {
    const low = { ...pod('1'), spec: { ...pod('1').spec, nodeName: 'a', priority: -1 } };
    const infos = buildNodeInfos([node('a')], [low], []);
    expect(schedulePod(pod('3'), infos)).toEqual({
      kind: 'unschedulable',
      message:
        '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu..',
    });
  });
});
