import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resources.js';
import type { ScrapeTarget } from '../scrape/targets.js';
import { PrometheusTargets, SERVICEMONITORS, targetGroup } from './targets-endpoint.js';

const target = (over: Partial<ScrapeTarget>): ScrapeTarget => ({
  key: 'k',
  url: 'http://127.0.0.1:40001/metrics',
  intervalMs: 0,
  timeoutMs: 0,
  labels: { namespace: 'default', pod: 'p' },
  honorLabels: false,
  pod: { namespace: 'default', name: 'p' },
  source: 'pod annotation',
  ...over,
});

describe('targetGroup', () => {
  it.each([
    {
      title: 'a plain target: address, path and scheme',
      t: target({}),
      labels: { __metrics_path__: '/metrics', __scheme__: 'http' },
    },
    {
      title: 'an https target with params',
      t: target({ url: 'https://127.0.0.1:40001/federate?match%5B%5D=up&x=1' }),
      labels: {
        __metrics_path__: '/federate',
        __scheme__: 'https',
        '__param_match[]': 'up',
        __param_x: '1',
      },
    },
    {
      title: "a ServiceMonitor's 1s interval: the timeout follows it down",
      t: target({ intervalMs: 1000 }),
      labels: { __scrape_interval__: '1s', __scrape_timeout__: '1s' },
    },
    {
      title: 'a 30s interval: the default 10s timeout',
      t: target({ intervalMs: 30_000 }),
      labels: { __scrape_interval__: '30s', __scrape_timeout__: '10s' },
    },
    {
      title: 'an explicit timeout',
      t: target({ intervalMs: 30_000, timeoutMs: 5000 }),
      labels: { __scrape_interval__: '30s', __scrape_timeout__: '5s' },
    },
  ])('$title', ({ t, labels }) => {
    const g = targetGroup(t);
    expect(g.targets).toEqual(['127.0.0.1:40001']);
    expect(g.labels).toMatchObject({ namespace: 'default', pod: 'p', ...labels });
  });
});

describe('PrometheusTargets', () => {
  it("serves a ServiceMonitor's pods as http_sd JSON, with the host port", async () => {
    const { client } = createInMemoryApi();
    const pod = await client.create(PODS, {
      metadata: {
        namespace: 'default',
        name: 'mock-1',
        labels: { app: 'mock' },
        annotations: { 'kubeproc.io/port-map': '{"8080":40001}' },
      },
      spec: {
        containers: [
          { name: 'app', image: 'x', ports: [{ name: 'metrics', containerPort: 8080 }] },
        ],
      },
    });
    await client.updateStatus(PODS, { ...pod, status: { phase: 'Running', podIP: '127.0.0.1' } });
    await client.create(SERVICES, {
      metadata: { namespace: 'default', name: 'mock-svc', labels: { app: 'mock' } },
      spec: {
        selector: { app: 'mock' },
        ports: [{ name: 'web', port: 80, targetPort: 'metrics' }],
      },
    });
    await client.create(ENDPOINTS, {
      metadata: { namespace: 'default', name: 'mock-svc' },
      subsets: [
        {
          addresses: [
            { ip: '127.0.0.1', targetRef: { kind: 'Pod', name: 'mock-1', namespace: 'default' } },
          ],
          ports: [{ name: 'web', port: 40001 }],
        },
      ],
    });
    await client.create(SERVICEMONITORS, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { namespace: 'default', name: 'sm' },
      spec: {
        selector: { matchLabels: { app: 'mock' } },
        endpoints: [{ port: 'web', interval: '2s' }],
      },
    });
    const targets = new PrometheusTargets(client);
    const server = createServer(targets.serve);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual([
        {
          targets: ['127.0.0.1:40001'],
          labels: expect.objectContaining({
            namespace: 'default',
            pod: 'mock-1',
            service: 'mock-svc',
            job: 'mock-svc',
            endpoint: 'web',
            __metrics_path__: '/metrics',
            __scrape_interval__: '2s',
            __scrape_timeout__: '2s',
          }) as unknown,
        },
      ]);
    } finally {
      server.close();
    }
  });
});
