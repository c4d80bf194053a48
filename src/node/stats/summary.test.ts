import { describe, expect, it } from 'vitest';
import { podSample } from './samples.js';
import type { ContainerStatsSample } from './samples.js';
import { buildSummary, metaTime } from './summary.js';

const container = (
  name: string,
  over: Partial<ContainerStatsSample> = {},
): ContainerStatsSample => ({
  namespace: 'ns',
  pod: 'web',
  podUid: 'u1',
  container: name,
  source: 'cgroup',
  startTime: new Date('2026-01-02T03:04:05.678Z'),
  timestamp: new Date('2026-01-02T03:05:00.999Z'),
  usageNanoCores: 250_000_000,
  windowMs: 10_000,
  usageCoreNanoSeconds: 5e9,
  memory: { usageBytes: 300, workingSetBytes: 200, rssBytes: 100, availableBytes: 50 },
  ...over,
});

const ref = { namespace: 'ns', pod: 'web', podUid: 'u1', startTime: new Date(0) };

describe('metaTime', () => {
  it.each([
    ['2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05Z'],
    ['2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05Z'],
  ])('%s -> %s', (iso, want) => expect(metaTime(new Date(iso))).toBe(want));
});

describe('podSample', () => {
  it('sums containers', () => {
    const pod = podSample(ref, [container('a'), container('b')]);
    expect(pod).toMatchObject({
      usageNanoCores: 500_000_000,
      usageCoreNanoSeconds: 1e10,
      memory: { usageBytes: 600, workingSetBytes: 400, rssBytes: 200, availableBytes: 100 },
    });
  });

  it('has no rate (or available bytes) unless every container has one', () => {
    const pod = podSample(ref, [
      container('a'),
      container('b', {
        usageNanoCores: undefined,
        windowMs: undefined,
        memory: { usageBytes: 1, workingSetBytes: 1, rssBytes: 1 },
      }),
    ]);
    expect(pod?.usageNanoCores).toBeUndefined();
    expect(pod?.memory.availableBytes).toBeUndefined();
  });
});

describe('buildSummary', () => {
  it('has the kubelet shape, with unknown fields left out', () => {
    const a = container('a', { usageNanoCores: undefined, windowMs: undefined });
    const pod = podSample(ref, [container('b'), a]);
    const summary = buildSummary('node-1', undefined, pod ? [pod] : []);
    expect(summary).toEqual({
      node: { nodeName: 'node-1', startTime: '1970-01-01T00:00:00Z' },
      pods: [
        {
          podRef: { name: 'web', namespace: 'ns', uid: 'u1' },
          startTime: '1970-01-01T00:00:00Z',
          containers: [
            {
              name: 'a',
              startTime: '2026-01-02T03:04:05Z',
              cpu: { time: '2026-01-02T03:05:00Z', usageCoreNanoSeconds: 5e9 },
              memory: {
                time: '2026-01-02T03:05:00Z',
                usageBytes: 300,
                workingSetBytes: 200,
                rssBytes: 100,
                availableBytes: 50,
              },
            },
            expect.objectContaining({
              name: 'b',
              cpu: expect.objectContaining({ usageNanoCores: 250_000_000 }),
            }),
          ],
          cpu: { time: '2026-01-02T03:05:00Z', usageCoreNanoSeconds: 1e10 },
          memory: {
            time: '2026-01-02T03:05:00Z',
            usageBytes: 600,
            workingSetBytes: 400,
            rssBytes: 200,
            availableBytes: 100,
          },
        },
      ],
    });
  });
});
