import { beforeEach, describe, expect, it } from 'vitest';
import type { APIService } from '../apis/apiregistration/types.js';
import type { KubeObject } from '../apis/meta.js';
import { syncAPIServices } from './bootstrap-apiservices.js';
import { createInMemoryApi } from './in-memory.js';
import type { InMemoryApi } from './in-memory.js';

const NOW = new Date('2026-02-01T08:00:00Z');
const APISERVICES = { group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices' };
let api: InMemoryApi;

const all = async (): Promise<APIService[]> => (await api.client.list(APISERVICES)).items;
const byName = async (name: string): Promise<APIService | undefined> =>
  (await all()).find((a) => a.metadata.name === name);

beforeEach(() => {
  api = createInMemoryApi(() => NOW);
});

describe('syncAPIServices', () => {
  it('registers every served group/version Local, with kube-apiserver’s priorities', async () => {
    syncAPIServices(api.svc, api.registry, { metricsServed: false, now: NOW });
    const rows = (await all()).map((a) => [
      a.metadata.name,
      a.spec?.groupPriorityMinimum,
      a.spec?.versionPriority,
      a.metadata.labels?.['kube-aggregator.kubernetes.io/automanaged'],
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['v1.', 18000, 1, 'onstart'],
        ['v1.apps', 17800, 15, 'onstart'],
        ['v2.autoscaling', 17500, 30, 'onstart'],
        ['v1.autoscaling', 17500, 15, 'onstart'],
        ['v1.coordination.k8s.io', 16500, 15, 'onstart'],
        ['v1alpha1.kubeproc.io', 1000, 100, 'true'],
      ]),
    );
    expect(rows.map((r) => r[0])).not.toContain('v1.apiregistration.k8s.io');
    expect(rows.map((r) => r[0])).not.toContain('v1beta1.metrics.k8s.io');
    const apps = await byName('v1.apps');
    expect(apps?.spec).toEqual({
      group: 'apps',
      version: 'v1',
      groupPriorityMinimum: 17800,
      versionPriority: 15,
    });
    expect(apps?.status?.conditions?.[0]).toMatchObject({
      type: 'Available',
      status: 'True',
      reason: 'Local',
    });
  });

  it('registers metrics-server’s APIService Available while metrics are served', async () => {
    syncAPIServices(api.svc, api.registry, { metricsServed: true, now: NOW });
    const metrics = await byName('v1beta1.metrics.k8s.io');
    expect(metrics?.metadata.labels).toEqual({ 'k8s-app': 'metrics-server' });
    expect(metrics?.spec).toEqual({
      service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    });
    expect(metrics?.status).toEqual({
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: '2026-02-01T08:00:00Z',
          reason: 'Passed',
          message: 'all checks passed',
        },
      ],
    });
  });

  it('changes nothing when run again', async () => {
    syncAPIServices(api.svc, api.registry, { metricsServed: true, now: NOW });
    const before = (await all()).map((a) => a.metadata.resourceVersion);
    syncAPIServices(api.svc, api.registry, { metricsServed: true, now: new Date() });
    expect((await all()).map((a) => a.metadata.resourceVersion)).toEqual(before);
  });

  it('restores its specs, prunes what it no longer serves, and keeps what users made', async () => {
    syncAPIServices(api.svc, api.registry, { metricsServed: true, now: NOW });
    const apps = (await byName('v1.apps')) as KubeObject;
    await api.client.update(APISERVICES, {
      ...apps,
      spec: { ...(apps.spec as object), groupPriorityMinimum: 5 },
    });
    const stale = {
      metadata: {
        name: 'v1.gone.k8s.io',
        labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      },
      spec: { group: 'gone.k8s.io', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1 },
    };
    await api.client.create(APISERVICES, stale);
    await api.client.create(APISERVICES, {
      ...stale,
      metadata: { name: 'v1.mine.example.com' },
      spec: { ...stale.spec, group: 'mine.example.com' },
    });
    syncAPIServices(api.svc, api.registry, { metricsServed: false, now: NOW });
    const names = (await all()).map((a) => a.metadata.name);
    expect(names).not.toContain('v1.gone.k8s.io');
    expect(names).not.toContain('v1beta1.metrics.k8s.io');
    expect(names).toContain('v1.mine.example.com');
    expect((await byName('v1.apps'))?.spec?.groupPriorityMinimum).toBe(17800);
  });

  it('registers the custom/external metrics APIServices Available while a provider runs', async () => {
    const names = [
      'v1beta2.custom.metrics.k8s.io',
      'v1beta1.custom.metrics.k8s.io',
      'v1beta1.external.metrics.k8s.io',
    ];
    syncAPIServices(api.svc, api.registry, {
      metricsServed: false,
      customMetricsServed: true,
      now: NOW,
    });
    const rows = (await all())
      .filter((a) => names.includes(a.metadata.name ?? ''))
      .map((a) => [
        a.metadata.name,
        `${a.spec?.service?.namespace ?? ''}/${a.spec?.service?.name ?? ''}`,
        a.spec?.versionPriority,
        a.status?.conditions?.find((c) => c.type === 'Available')?.status,
      ]);
    expect(rows).toEqual([
      ['v1beta1.custom.metrics.k8s.io', 'kube-system/kubeproc-metrics-adapter', 100, 'True'],
      ['v1beta1.external.metrics.k8s.io', 'kube-system/kubeproc-metrics-adapter', 100, 'True'],
      ['v1beta2.custom.metrics.k8s.io', 'kube-system/kubeproc-metrics-adapter', 200, 'True'],
    ]);
    syncAPIServices(api.svc, api.registry, { metricsServed: false, now: NOW });
    expect((await all()).map((a) => a.metadata.name)).not.toContain(names[0]);
  });
});
