import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resources.js';
import { backendsFromSlices, eligibleBackends, ServiceCatalog } from './catalog.js';

type Conditions = { ready?: boolean; serving?: boolean; terminating?: boolean };

function slice(name: string, port: number, endpoints: [string, string, Conditions][]) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: endpoints.map(([ip, pod, conditions]) => ({
      addresses: [ip],
      conditions,
      targetRef: { kind: 'Pod', namespace: 'default', name: pod },
    })),
  };
}

const keys = (list: readonly { key: string }[]) => list.map((b) => b.key);

describe('backends from EndpointSlices', () => {
  it('reads each slice at its own port (host mode: one port per pod) and deduplicates', () => {
    const list = backendsFromSlices(
      [
        slice('a', 41000, [['127.0.0.1', 'a', { ready: true }]]),
        slice('b', 42000, [['127.0.0.1', 'b', { ready: false, serving: true, terminating: true }]]),
        slice('c', 41000, [['127.0.0.1', 'a', { ready: true }]]),
      ],
      'http',
    );
    expect(list).toEqual([
      expect.objectContaining({ key: '127.0.0.1:41000', pod: 'default/a', ready: true }),
      expect.objectContaining({ key: '127.0.0.1:42000', ready: false, terminating: true }),
    ]);
    expect(backendsFromSlices([slice('a', 41000, [['127.0.0.1', 'a', {}]])], 'other')).toEqual([]);
  });

  it.each([
    ['ready ones only', [true, false], ['1.0.0.1:80']],
    ['serving terminating ones when none is ready', [false, false], ['1.0.0.2:80']],
    ['a nil ready counts as ready', [undefined, false], ['1.0.0.1:80']],
  ])('uses %s', (_what, [readyA, readyB], expected) => {
    const list = backendsFromSlices(
      [
        slice('s', 80, [
          ['1.0.0.1', 'a', readyA === undefined ? {} : { ready: readyA, serving: readyA }],
          ['1.0.0.2', 'b', { ready: readyB, serving: true, terminating: true }],
          ['1.0.0.3', 'c', { ready: false, serving: false, terminating: true }],
        ]),
      ],
      'http',
    );
    expect(keys(eligibleBackends(list))).toEqual(expected);
  });
});

describe('ServiceCatalog', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((s) => s()));
  });

  it('follows slices through watches and reports newly ready endpoints', async () => {
    const { client } = createInMemoryApi();
    const informers = new SharedInformerFactory(client);
    const readied: string[] = [];
    const changes: string[] = [];
    const catalog = new ServiceCatalog({ informers, onBackendReady: (k) => readied.push(k) });
    catalog.onChange((key) => changes.push(key));
    const abort = new AbortController();
    const running = informers.start(abort.signal);
    stops.push(async () => {
      abort.abort();
      await running;
    });
    await catalog.waitForSync();
    await client.create(SERVICES, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { ports: [{ name: 'http', port: 80 }] },
    });
    await client.create(
      ENDPOINTSLICES,
      slice('web-1', 41000, [['127.0.0.1', 'a', { ready: false }]]),
    );
    await expect.poll(() => catalog.service('default/web')?.metadata.name).toBe('web');
    await expect.poll(() => changes.filter((k) => k === 'default/web').length).toBeGreaterThan(1);
    expect(catalog.backends('default/web', 'http')).toEqual([]);
    await client.update(ENDPOINTSLICES, {
      ...(await client.get(ENDPOINTSLICES, 'default', 'web-1')),
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    });
    await expect
      .poll(() => keys(catalog.backends('default/web', 'http')))
      .toEqual(['127.0.0.1:41000']);
    // The in-memory API also publishes the `kubernetes` Service's slice (the API server).
    expect(readied.filter((k) => k.endsWith(':41000'))).toEqual(['127.0.0.1:41000']);
    await client.delete(ENDPOINTSLICES, 'default', 'web-1');
    await expect.poll(() => catalog.backends('default/web', 'http')).toEqual([]);
  });
});
