// The endpoints controller against the real API over a memory store; the test plays the kubelet
// (pod IPs, readiness, the node agent's port map) by writing pods through the client.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import { formatTime } from '../../apis/meta.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import { EndpointsController } from './controller.js';

const NS = 'default';
const WAIT = { timeout: 5_000, interval: 10 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function start(client: Client = createInMemoryApi().client): {
  client: Client;
  controller: EndpointsController;
} {
  const informers = new SharedInformerFactory(client);
  const log = pino({ level: 'silent' });
  const controller = new EndpointsController({ client, informers, log, workers: 2 });
  const abort = new AbortController();
  const running = Promise.all([informers.start(abort.signal), controller.start(abort.signal)]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return { client, controller };
}

interface PodOptions {
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number }[];
  annotations?: Record<string, string>;
}

async function makePod(client: Client, name: string, opts: PodOptions = {}): Promise<void> {
  const ports = opts.ports ?? [{ name: 'http', containerPort: 8080 }];
  await client.create(PODS, {
    metadata: {
      name,
      namespace: NS,
      labels: opts.labels ?? { app: 'web' },
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'img', ports }] },
  });
}

/** What the kubelet reports: Running at ip, Ready or not. */
async function setStatus(client: Client, name: string, ip: string, ready: boolean) {
  const pod = await client.get(PODS, NS, name);
  await client.updateStatus(PODS, {
    ...pod,
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: formatTime(new Date()),
        },
      ],
    },
  });
}

function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, namespace: NS, labels: { team: 'a' } },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      ...spec,
    },
  };
}

async function endpoints(client: Client, name = 'web'): Promise<KubeObject | undefined> {
  try {
    return await client.get(ENDPOINTS, NS, name);
  } catch (err) {
    if (isNotFound(err)) {
      return undefined;
    }
    throw err;
  }
}

async function subsets(client: Client, name = 'web'): Promise<unknown> {
  return (await endpoints(client, name))?.subsets ?? [];
}

const target = (name: string): unknown =>
  expect.objectContaining({ kind: 'Pod', namespace: NS, name });
const addr = (ip: string, pod: string) => ({ ip, nodeName: 'node1', targetRef: target(pod) });

describe('EndpointsController', () => {
  it('lists ready pods in addresses and unready ones in notReadyAddresses, following status', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await makePod(client, 'b');
    await makePod(client, 'other', { labels: { app: 'db' } });
    await setStatus(client, 'a', '10.0.0.1', true);
    await setStatus(client, 'b', '10.0.0.2', false);
    await setStatus(client, 'other', '10.0.0.9', true);
    await client.create(SERVICES, service('web'));
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([
        {
          addresses: [addr('10.0.0.1', 'a')],
          notReadyAddresses: [addr('10.0.0.2', 'b')],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ]);
    const ep = await endpoints(client);
    expect(ep?.metadata.labels).toEqual({ team: 'a' });
    const svc = await client.get(SERVICES, NS, 'web');
    expect(ep?.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe(
      svc.metadata.creationTimestamp,
    );

    await setStatus(client, 'b', '10.0.0.2', true);
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([
        {
          addresses: [addr('10.0.0.1', 'a'), addr('10.0.0.2', 'b')],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ]);
    await setStatus(client, 'a', '10.0.0.1', false);
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([
        { addresses: [{ ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.1' }] },
      ]);
  });

  it('skips pods without an IP, and terminating pods unless publishNotReadyAddresses', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await makePod(client, 'noip');
    await makePod(client, 'going');
    await setStatus(client, 'a', '10.0.0.1', true);
    await setStatus(client, 'going', '10.0.0.3', true);
    await client.delete(PODS, NS, 'going'); // lingers: it has a node and a grace period
    await client.create(SERVICES, service('web'));
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([expect.objectContaining({ addresses: [addr('10.0.0.1', 'a')] })]);
    await client.patch(SERVICES, NS, 'web', 'merge', { spec: { publishNotReadyAddresses: true } });
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([
        expect.objectContaining({
          addresses: [addr('10.0.0.1', 'a'), addr('10.0.0.3', 'going')],
        }),
      ]);
  });

  it('publishes unready pods as ready addresses with publishNotReadyAddresses', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', false);
    await client.create(SERVICES, service('web', { publishNotReadyAddresses: true }));
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([expect.objectContaining({ addresses: [addr('10.0.0.1', 'a')] })]);
  });

  it('resolves a named targetPort per pod and skips pods that do not declare it', async () => {
    const { client } = start();
    await makePod(client, 'a', { ports: [{ name: 'http', containerPort: 8080 }] });
    await makePod(client, 'b', { ports: [{ name: 'http', containerPort: 9090 }] });
    await makePod(client, 'c', { ports: [{ name: 'metrics', containerPort: 7000 }] });
    for (const [name, ip] of [
      ['a', '10.0.0.1'],
      ['b', '10.0.0.2'],
      ['c', '10.0.0.3'],
    ] as const) {
      await setStatus(client, name, ip, true);
    }
    await client.create(
      SERVICES,
      service('web', {
        ports: [
          { name: 'web', port: 80, targetPort: 'http' },
          { name: 'fixed', port: 81, targetPort: 5000 },
        ],
      }),
    );
    await expect.poll(() => subsets(client), WAIT).toHaveLength(3);
    const got = (await subsets(client)) as {
      addresses: { ip: string }[];
      ports: { name: string; port: number; protocol: string }[];
    }[];
    const byPorts = Object.fromEntries(
      got.map((s) => [
        s.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`).join(','),
        s.addresses.map((a) => a.ip),
      ]),
    );
    expect(byPorts).toEqual({
      'fixed:5000/TCP': ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      'web:8080/TCP': ['10.0.0.1'],
      'web:9090/TCP': ['10.0.0.2'],
    });
  });

  it('publishes the host port from the kubeproc.io/port-map annotation', async () => {
    const { client } = start();
    await makePod(client, 'a', {
      ports: [{ name: 'http', containerPort: 5000 }],
      annotations: { 'kubeproc.io/port-map': '{"5000": 41234}' },
    });
    await makePod(client, 'b', { ports: [{ name: 'http', containerPort: 5000 }] });
    await setStatus(client, 'a', '127.0.0.1', true);
    await setStatus(client, 'b', '127.0.0.1', true);
    await client.create(SERVICES, service('web', { ports: [{ port: 80, targetPort: 'http' }] }));
    await expect.poll(() => subsets(client), WAIT).toHaveLength(2);
    expect(await subsets(client)).toEqual(
      expect.arrayContaining([
        { addresses: [addr('127.0.0.1', 'a')], ports: [{ port: 41234, protocol: 'TCP' }] },
        { addresses: [addr('127.0.0.1', 'b')], ports: [{ port: 5000, protocol: 'TCP' }] },
      ]),
    );
    // The node agent maps b later: the Endpoints follow.
    await client.patch(PODS, NS, 'b', 'merge', {
      metadata: { annotations: { 'kubeproc.io/port-map': '{"5000": 41999}' } },
    });
    await expect
      .poll(() => subsets(client), WAIT)
      .toContainEqual({
        addresses: [addr('127.0.0.1', 'b')],
        ports: [{ port: 41999, protocol: 'TCP' }],
      });
  });

  it('follows a selector change', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await makePod(client, 'd', { labels: { app: 'db' } });
    await setStatus(client, 'a', '10.0.0.1', true);
    await setStatus(client, 'd', '10.0.0.4', true);
    await client.create(SERVICES, service('web'));
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([{ addresses: [{ ip: '10.0.0.1' }] }]);
    await client.patch(SERVICES, NS, 'web', 'merge', { spec: { selector: { app: 'db' } } });
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([{ addresses: [{ ip: '10.0.0.4' }] }]);
  });

  it('deletes the Endpoints with the Service, and leaves selectorless ones alone', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web'));
    const manual = { metadata: { name: 'ext', namespace: NS }, spec: { ports: [{ port: 80 }] } };
    await client.create(SERVICES, manual);
    const mine = { ip: '192.168.1.1' };
    await client.create(ENDPOINTS, {
      metadata: { name: 'ext', namespace: NS },
      subsets: [{ addresses: [mine], ports: [{ port: 80 }] }],
    });
    await expect.poll(() => endpoints(client), WAIT).toBeDefined();
    await client.delete(SERVICES, NS, 'web');
    await expect.poll(() => endpoints(client), WAIT).toBeUndefined();
    expect(await subsets(client, 'ext')).toEqual([
      { addresses: [mine], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });

  it('marks headless Services and keeps the addresses of a port-less one', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web', { clusterIP: 'None', ports: [] }));
    await expect
      .poll(() => subsets(client), WAIT)
      .toEqual([{ addresses: [addr('10.0.0.1', 'a')] }]);
    const ep = await endpoints(client);
    expect(ep?.metadata.labels).toEqual({ team: 'a', 'service.kubernetes.io/headless': '' });
  });

  it('does not write when nothing changed', async () => {
    const { client, controller } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web'));
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([{ addresses: [{ ip: '10.0.0.1' }] }]);
    const before = (await endpoints(client))?.metadata.resourceVersion ?? '';
    const writes: string[] = [];
    const watch = client.watch(
      ENDPOINTS,
      { namespace: NS, resourceVersion: before },
      { onEvent: (e) => writes.push(`${e.type} ${e.object.metadata.name}`), onClose: () => {} },
    );
    stops.push(() => Promise.resolve(watch.stop()));
    // Changes that leave the endpoints as they are: annotations, an unselected pod, the same
    // status written again.
    await client.patch(PODS, NS, 'a', 'merge', { metadata: { annotations: { x: 'y' } } });
    await client.patch(SERVICES, NS, 'web', 'merge', { metadata: { annotations: { x: 'y' } } });
    await makePod(client, 'z', { labels: { app: 'zzz' } });
    await setStatus(client, 'z', '10.0.0.26', true);
    await setStatus(client, 'a', '10.0.0.1', true);
    // Then one that does change them: exactly one write in all.
    await makePod(client, 'b');
    await setStatus(client, 'b', '10.0.0.2', true);
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }]);
    await expect.poll(() => writes, WAIT).toEqual(['MODIFIED web']);
    const after = (await endpoints(client))?.metadata.resourceVersion;
    await controller.sync(`${NS}/web`);
    await controller.sync(`${NS}/web`);
    expect((await endpoints(client))?.metadata.resourceVersion).toBe(after);
  });

  it('recreates Endpoints deleted from under it, and deletes leftovers at startup', async () => {
    const { client } = createInMemoryApi();
    await client.create(ENDPOINTS, {
      metadata: { name: 'leftover', namespace: NS },
      subsets: [{ addresses: [{ ip: '10.9.9.9' }], ports: [{ port: 80 }] }],
    });
    start(client);
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web'));
    await expect.poll(() => endpoints(client, 'leftover'), WAIT).toBeUndefined();
    await expect.poll(() => endpoints(client), WAIT).toBeDefined();
    await client.delete(ENDPOINTS, NS, 'web');
    await expect
      .poll(() => subsets(client), WAIT)
      .toMatchObject([{ addresses: [{ ip: '10.0.0.1' }] }]);
  });
});
