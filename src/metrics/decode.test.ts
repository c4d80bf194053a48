import { describe, expect, it } from 'vitest';
import { addSummary, emptyBatch, pointOf } from './decode.js';
import type { KubeletSummary, SummaryContainer } from './summary.js';

const T1 = '2026-01-01T00:00:10Z';
const T2 = '2026-01-01T00:00:12Z';

const container = (
  name: string,
  nanoCores?: number,
  bytes = 4096,
  time = T2,
): SummaryContainer => ({
  name,
  cpu: { time, ...(nanoCores === undefined ? {} : { usageNanoCores: nanoCores }) },
  memory: { time, workingSetBytes: bytes },
});

function summary(pods: KubeletSummary['pods'], nodeCpu?: number): KubeletSummary {
  return {
    node: {
      nodeName: 'n1',
      cpu: { time: T2, ...(nodeCpu === undefined ? {} : { usageNanoCores: nodeCpu }) },
      memory: { time: T2, workingSetBytes: 1 << 30 },
    },
    pods,
  };
}

describe('pointOf', () => {
  it('takes the kubelet rate and the working set, dated by the earlier reading', () => {
    expect(
      pointOf({ time: T2, usageNanoCores: 5 }, { time: T1, workingSetBytes: 7 }, 1000),
    ).toEqual({ timestamp: new Date(T1), windowMs: 1000, cpuNanoCores: 5, memoryBytes: 7 });
  });

  it.each([
    ['no CPU rate yet', { time: T2 }, { time: T2, workingSetBytes: 7 }],
    ['no working set', { time: T2, usageNanoCores: 5 }, { time: T2 }],
    ['no time', { time: '', usageNanoCores: 5 }, { time: '', workingSetBytes: 7 }],
  ])('is undefined with %s', (_name, cpu, memory) => {
    expect(pointOf(cpu, memory, 1000)).toBeUndefined();
  });
});

describe('addSummary', () => {
  it('keeps the node and every pod whose containers all have a rate', () => {
    const batch = emptyBatch();
    addSummary(
      batch,
      summary(
        [
          { podRef: { namespace: 'default', name: 'web' }, containers: [container('app', 10)] },
          {
            podRef: { namespace: 'default', name: 'half' },
            containers: [container('a', 10), container('b')],
          },
          { podRef: { namespace: 'default', name: 'empty' }, containers: [] },
        ],
        99,
      ),
      15_000,
    );
    expect(batch.nodes.get('n1')?.cpuNanoCores).toBe(99);
    expect([...batch.pods.keys()]).toEqual(['default/web']);
    expect(batch.pods.get('default/web')).toEqual([
      {
        name: 'app',
        timestamp: new Date(T2),
        windowMs: 15_000,
        cpuNanoCores: 10,
        memoryBytes: 4096,
      },
    ]);
  });

  it('leaves out a node without a rate and keeps the first of duplicate pods', () => {
    const batch = emptyBatch();
    const ref = { namespace: 'ns', name: 'p' };
    addSummary(
      batch,
      summary([
        { podRef: ref, containers: [container('first', 1)] },
        { podRef: ref, containers: [container('second', 2)] },
      ]),
      1000,
    );
    expect(batch.nodes.size).toBe(0);
    expect(batch.pods.get('ns/p')?.map((c) => c.name)).toEqual(['first']);
  });
});
