import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { proxySeries, withIdleBackends } from './proxy-source.js';
import type { TrafficRow } from './proxy-source.js';

const row = (pod: string, requests: number, connections = 0): TrafficRow => ({
  namespace: 'default',
  service: 'web',
  pod,
  counters: { requests, connections, concurrencySeconds: 1.5 },
});

describe('proxySeries', () => {
  it('labels Service rows by service and pod rows by pod, counting requests and connections', () => {
    expect(proxySeries([row('', 10, 2), row('web-a', 4), row('-', 1)])).toEqual([
      {
        metric: 'requests_per_second',
        kind: 'rate',
        labels: { namespace: 'default', service: 'web' },
        value: 12,
      },
      {
        metric: 'requests_in_flight',
        kind: 'rate',
        labels: { namespace: 'default', service: 'web' },
        value: 1.5,
      },
      {
        metric: 'requests_per_second',
        kind: 'rate',
        labels: { namespace: 'default', pod: 'web-a', kubeproc_service: 'web' },
        value: 4,
      },
      {
        metric: 'requests_in_flight',
        kind: 'rate',
        labels: { namespace: 'default', pod: 'web-a', kubeproc_service: 'web' },
        value: 1.5,
      },
    ]);
  });
});

describe('withIdleBackends', () => {
  const endpoints = (pods: string[]): KubeObject => ({
    metadata: { name: 'web', namespace: 'default' },
    subsets: [
      { addresses: pods.map((name) => ({ ip: '127.0.0.1', targetRef: { kind: 'Pod', name } })) },
    ],
  });

  it('adds zero rows for ready backends and Services without traffic, keeping real rows', () => {
    const rows = withIdleBackends([row('web-a', 4)], [endpoints(['web-a', 'web-b'])]);
    expect(rows.map((r) => [r.pod, r.counters.requests])).toEqual([
      ['web-a', 4],
      ['', 0],
      ['web-b', 0],
    ]);
  });

  it('adds nothing for Services without ready addresses', () => {
    expect(withIdleBackends([], [endpoints([])])).toEqual([]);
  });
});
