// The endpointslice controller (and, at the end, the endpoints controller beside it) against the
// real API over a memory store; the test plays the kubelet by writing pods through the client.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import { formatTime } from '../../apis/meta.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES } from '../../client/resources.js';
import { EndpointsController } from '../endpoints/controller.js';
import { EndpointSliceController } from './controller.js';
import type { EndpointSlice } from './types.js';

const NS = 'default';
const WAIT = { timeout: 10_000, interval: 10 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function start(withEndpoints = false) {
  const { client } = createInMemoryApi();
  const informers = new SharedInformerFactory(client);
  const log = pino({ level: 'silent' });
  const controller = new EndpointSliceController({ client, informers, log, workers: 2 });
  const endpoints = withEndpoints ? new EndpointsController({ client, informers, log }) : undefined;
  const abort = new AbortController();
  const running = Promise.all([
    informers.start(abort.signal),
    controller.start(abort.signal),
    endpoints?.start(abort.signal),
  ]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return { client, controller };
}

interface PodOptions {
  labels?: Record<string, string>;
  port?: number;
  hostPort?: number;
}

async function makePod(client: Client, name: string, opts: PodOptions = {}): Promise<void> {
  await client.create(PODS, {
    metadata: {
      name,
      namespace: NS,
      labels: opts.labels ?? { app: 'web' },
      ...(opts.hostPort
        ? {
            annotations: {
              'kubeproc.io/port-map': JSON.stringify({ [opts.port ?? 8080]: opts.hostPort }),
            },
          }
        : {}),
    },
    spec: {
      nodeName: 'node1',
      containers: [
        { name: 'c', image: 'img', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] },
      ],
    },
  });
}

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
    metadata: { name, namespace: NS },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      ...spec,
    },
  };
}

async function slices(client: Client, svc = 'web'): Promise<EndpointSlice[]> {
  const labelSelector = `kubernetes.io/service-name=${svc}`;
  return (await client.list(ENDPOINTSLICES, { namespace: NS, labelSelector })).items;
}

/** Each endpoint as `pod ready/serving/terminating @port`, sorted. */
async function summary(client: Client, svc = 'web'): Promise<string[]> {
  const out: string[] = [];
  for (const s of await slices(client, svc)) {
    for (const e of s.endpoints ?? []) {
      const c = e.conditions ?? {};
      const flags = [c.ready, c.serving, c.terminating].map((f) => (f ? 1 : 0)).join('');
      out.push(`${e.targetRef?.name} ${e.addresses.join()} ${flags} @${s.ports?.[0]?.port}`);
    }
  }
  return out.sort();
}

describe('EndpointSliceController', () => {
  it('lists pods with conditions that follow their readiness', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await makePod(client, 'b');
    await makePod(client, 'noip');
    await setStatus(client, 'a', '10.0.0.1', true);
    await setStatus(client, 'b', '10.0.0.2', false);
    const svc = await client.create(SERVICES, service('web'));
    await expect
      .poll(() => summary(client), WAIT)
      .toEqual(['a 10.0.0.1 110 @8080', 'b 10.0.0.2 000 @8080']);
    const [slice] = await slices(client);
    expect(slice?.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice?.metadata.generateName).toBe('web-');
    expect(slice?.metadata.labels).toEqual({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice?.endpoints?.[0]).toMatchObject({ nodeName: 'node1', targetRef: { kind: 'Pod' } });

    await setStatus(client, 'b', '10.0.0.2', true);
    await setStatus(client, 'a', '10.0.0.1', false);
    await expect
      .poll(() => summary(client), WAIT)
      .toEqual(['a 10.0.0.1 000 @8080', 'b 10.0.0.2 110 @8080']);
    await client.delete(PODS, NS, 'b'); // lingers in its grace period: terminating
    await expect
      .poll(() => summary(client), WAIT)
      .toEqual(['a 10.0.0.1 000 @8080', 'b 10.0.0.2 011 @8080']);
  });

  it('uses host ports from the port map and named ports per pod', async () => {
    const { client } = start();
    await makePod(client, 'a', { port: 5000, hostPort: 41234 });
    await makePod(client, 'b', { port: 6000 });
    await setStatus(client, 'a', '127.0.0.1', true);
    await setStatus(client, 'b', '127.0.0.1', true);
    await client.create(SERVICES, service('web'));
    await expect
      .poll(() => summary(client), WAIT)
      .toEqual(['a 127.0.0.1 110 @41234', 'b 127.0.0.1 110 @6000']);
    expect(await slices(client)).toHaveLength(2);
  });

  it('splits more than 100 endpoints over several slices', async () => {
    const { client } = start();
    await client.create(SERVICES, service('web'));
    for (let i = 0; i < 105; i++) {
      await makePod(client, `p${i}`);
      await setStatus(client, `p${i}`, `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`, true);
    }
    await expect
      .poll(async () => (await slices(client)).map((s) => s.endpoints?.length ?? 0).sort(), WAIT)
      .toEqual([100, 5]);
    expect(new Set((await summary(client)).map((l) => l.split(' ')[0])).size).toBe(105);
  });

  it('follows a selector change and keeps a placeholder when nothing is selected', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await makePod(client, 'd', { labels: { app: 'db' } });
    await setStatus(client, 'a', '10.0.0.1', true);
    await setStatus(client, 'd', '10.0.0.4', true);
    await client.create(SERVICES, service('web'));
    await expect.poll(() => summary(client), WAIT).toEqual(['a 10.0.0.1 110 @8080']);
    await client.patch(SERVICES, NS, 'web', 'merge', { spec: { selector: { app: 'db' } } });
    await expect.poll(() => summary(client), WAIT).toEqual(['d 10.0.0.4 110 @8080']);
    await client.patch(SERVICES, NS, 'web', 'merge', { spec: { selector: { app: 'none' } } });
    await expect.poll(() => summary(client), WAIT).toEqual([]);
    expect(await slices(client)).toMatchObject([{ endpoints: [], ports: [] }]);
  });

  it('deletes the slices with the Service and recreates one deleted from under it', async () => {
    const { client } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web'));
    await expect.poll(() => summary(client), WAIT).toEqual(['a 10.0.0.1 110 @8080']);
    const [first] = await slices(client);
    await client.delete(ENDPOINTSLICES, NS, first?.metadata.name ?? '');
    await expect
      .poll(async () => (await slices(client)).map((s) => s.metadata.name), WAIT)
      .toEqual([expect.not.stringMatching(first?.metadata.name ?? '')]);
    await client.delete(SERVICES, NS, 'web');
    await expect.poll(() => slices(client), WAIT).toEqual([]);
  });

  it('does not write when nothing changed', async () => {
    const { client, controller } = start();
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', true);
    await client.create(SERVICES, service('web'));
    await expect.poll(() => summary(client), WAIT).toEqual(['a 10.0.0.1 110 @8080']);
    const [slice] = await slices(client);
    const writes: string[] = [];
    const watch = client.watch(
      ENDPOINTSLICES,
      { namespace: NS, resourceVersion: slice?.metadata.resourceVersion ?? '' },
      { onEvent: (e) => writes.push(e.type), onClose: () => {} },
    );
    stops.push(() => Promise.resolve(watch.stop()));
    await client.patch(PODS, NS, 'a', 'merge', { metadata: { annotations: { x: 'y' } } });
    await client.patch(SERVICES, NS, 'web', 'merge', { metadata: { annotations: { x: 'y' } } });
    await setStatus(client, 'a', '10.0.0.1', true);
    await makePod(client, 'z', { labels: { app: 'zzz' } });
    await setStatus(client, 'z', '10.0.0.26', true);
    await makePod(client, 'b'); // the one change that matters
    await setStatus(client, 'b', '10.0.0.2', true);
    await expect
      .poll(() => summary(client), WAIT)
      .toEqual(['a 10.0.0.1 110 @8080', 'b 10.0.0.2 110 @8080']);
    await expect.poll(() => writes, WAIT).toEqual(['MODIFIED']);
    const before = (await slices(client)).map((s) => s.metadata.resourceVersion);
    await controller.sync(`${NS}/web`);
    await controller.sync(`${NS}/web`);
    expect((await slices(client)).map((s) => s.metadata.resourceVersion)).toEqual(before);
  });

  it('runs beside the endpoints controller: both follow a readiness change within ms', async () => {
    const { client } = start(true);
    await makePod(client, 'a');
    await setStatus(client, 'a', '10.0.0.1', false);
    await client.create(SERVICES, service('web'));
    const readyIPs = async () => {
      const ep = await client.get(ENDPOINTS, NS, 'web').catch(() => undefined);
      const subsets = (ep?.subsets ?? []) as { addresses?: { ip: string }[] }[];
      return subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
    };
    await expect.poll(() => summary(client), WAIT).toEqual(['a 10.0.0.1 000 @8080']);
    await expect.poll(readyIPs, WAIT).toEqual([]);
    const t0 = Date.now();
    await setStatus(client, 'a', '10.0.0.1', true);
    await expect
      .poll(async () => [await summary(client), await readyIPs()], { timeout: 2000, interval: 1 })
      .toEqual([['a 10.0.0.1 110 @8080'], ['10.0.0.1']]);
    expect(Date.now() - t0).toBeLessThan(500);
    await client.delete(SERVICES, NS, 'web');
    await expect.poll(() => slices(client), WAIT).toEqual([]);
    await expect.poll(readyIPs, WAIT).toEqual([]);
  });
});
