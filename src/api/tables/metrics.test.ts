import { describe, expect, it } from 'vitest';
import type { NodeMetrics, PodMetrics } from '../../apis/metrics/types.js';
import { nodeMetricsPrinter, podMetricsPrinter } from './metrics.js';

const now = new Date();

describe('metrics printers', () => {
  it('have metrics-server’s columns', () => {
    expect(podMetricsPrinter.columns.map((c) => [c.name, c.format])).toEqual([
      ['Name', 'name'],
      ['cpu', 'quantity'],
      ['memory', 'quantity'],
      ['Window', 'duration'],
    ]);
  });

  it('sums a pod’s containers', () => {
    const pod: PodMetrics = {
      metadata: { name: 'web' },
      timestamp: '2026-01-01T00:00:00Z',
      window: '15s',
      containers: [
        { name: 'a', usage: { cpu: '250m', memory: '5Mi' } },
        { name: 'b', usage: { cpu: '1234567n', memory: '1024Ki' } },
      ],
    };
    expect(podMetricsPrinter.cells(pod, now)).toEqual(['web', '251234567n', '6Mi', '15s']);
  });

  it('prints a node’s usage', () => {
    const node: NodeMetrics = {
      metadata: { name: 'n1' },
      timestamp: '2026-01-01T00:00:00Z',
      window: '1m0s',
      usage: { cpu: '1250m', memory: '2Gi' },
    };
    expect(nodeMetricsPrinter.cells(node, now)).toEqual(['n1', '1250m', '2Gi', '1m0s']);
  });
});
