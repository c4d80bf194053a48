// NodeStatusReporter against the real API over a memory store: registration, lease, status.
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../api/in-memory.js';
import type { KubeObject } from '../apis/meta.js';
import type { Client } from '../client/client.js';
import { EVENTS, LEASES, NODES } from '../client/resources.js';
import { formatBytes } from '../lib/quantity.js';
import { NodeStatusReporter } from './node-status.js';
import type { NodeStatusReporterDeps } from './node-status.js';

const WAIT = { timeout: 10_000, interval: 20 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function run(client: Client, over: Partial<NodeStatusReporterDeps> = {}): NodeStatusReporter {
  const reporter = new NodeStatusReporter({
    client,
    log: pino({ level: 'silent' }),
    nodeName: 'node1',
    leaseIntervalMs: 50,
    statusUpdateIntervalMs: 50,
    ...over,
  });
  const abort = new AbortController();
  const running = reporter.start(abort.signal);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return reporter;
}

async function getNode(client: Client): Promise<KubeObject | undefined> {
  return client.get(NODES, '', 'node1').catch(() => undefined);
}

async function nodeEvents(client: Client): Promise<KubeObject[]> {
  const list = await client.list(EVENTS, {
    namespace: 'default',
    fieldSelector: 'involvedObject.kind=Node,involvedObject.name=node1',
  });
  return list.items;
}

const reasons = (events: KubeObject[]): unknown[] => events.map((e) => e.reason);

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

describe('NodeStatusReporter', () => {
  it('registers this machine with its capacity, labels and conditions', async () => {
    const { client } = createInMemoryApi();
    run(client);
    const node = await expect
      .poll(() => getNode(client), WAIT)
      .toBeDefined()
      .then(() => getNode(client));
    const status = node?.status as {
      capacity: Record<string, string>;
      allocatable: Record<string, string>;
      conditions: { type: string }[];
      nodeInfo: unknown;
      addresses: unknown;
    };
    expect(node?.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'node1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': expect.any(String),
    });
    expect(status.capacity).toMatchObject({
      cpu: String(cpus().length),
      memory: formatBytes(totalmem()),
      pods: '110',
      'ephemeral-storage': expect.stringMatching(/^\d+(Ki|Mi|Gi|Ti)?$/),
    });
    expect(status.allocatable.memory).toBe(formatBytes(totalmem() - 100 * 1024 * 1024));
    const ready = status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
    });
    expect(status.conditions.map((c: { type: string }) => c.type)).toEqual([
      'MemoryPressure',
      'DiskPressure',
      'PIDPressure',
      'Ready',
    ]);
    expect(status.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.32.4',
      kernelVersion: release(),
      containerRuntimeVersion: 'kubeproc://0.1.0',
      operatingSystem: 'linux',
      machineID: readOptional('/etc/machine-id') ?? '',
      bootID: readOptional('/proc/sys/kernel/random/boot_id') ?? '',
    });
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'node1' },
    ]);
    await expect
      .poll(async () => reasons(await nodeEvents(client)), WAIT)
      .toEqual(expect.arrayContaining(['Starting', 'NodeReady', 'NodeHasSufficientPID']));
    const events = await nodeEvents(client);
    expect(events.find((e) => e.reason === 'Starting')).toMatchObject({
      message: 'Starting kubelet.',
      source: { component: 'kubelet', host: 'node1' },
      involvedObject: { kind: 'Node', name: 'node1', uid: 'node1' },
    });
    expect(events.find((e) => e.reason === 'NodeReady')?.message).toBe(
      'Node node1 status is now: NodeReady',
    );
  });

  it('renews its lease in kube-node-lease', async () => {
    const { client } = createInMemoryApi();
    run(client);
    const lease = () => client.get(LEASES, 'kube-node-lease', 'node1').catch(() => undefined);
    await expect.poll(lease, WAIT).toBeDefined();
    const first = (await lease()) as KubeObject;
    const node = (await getNode(client)) as KubeObject;
    expect(first.spec).toMatchObject({
      holderIdentity: 'node1',
      leaseDurationSeconds: 40,
      renewTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    await expect
      .poll(async () => (await lease())?.metadata.ownerReferences, WAIT)
      .toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node1', uid: node.metadata.uid }]);
    const renewTime = (first.spec as { renewTime: string }).renewTime;
    await expect
      .poll(async () => ((await lease())?.spec as { renewTime: string }).renewTime, WAIT)
      .not.toBe(renewTime);
  });

  it('writes status only when it changed, and restores Ready after another writer', async () => {
    const { client } = createInMemoryApi();
    // Each reading of the clock is a second later, so every write would carry new heartbeats.
    let t = Date.parse('2026-01-01T00:00:00Z');
    run(client, { clock: { now: () => new Date((t += 1000)) } });
    await expect.poll(() => getNode(client), WAIT).toBeDefined();
    const rv = (await getNode(client))?.metadata.resourceVersion;
    // Lease and status share the 50 ms period: four renewals mean several status ticks passed.
    const renewals = new Set<string>();
    await expect
      .poll(async () => {
        const lease = await client.get(LEASES, 'kube-node-lease', 'node1').catch(() => undefined);
        renewals.add(String((lease?.spec as { renewTime?: string } | undefined)?.renewTime));
        return renewals.size;
      }, WAIT)
      .toBeGreaterThanOrEqual(5);
    expect((await getNode(client))?.metadata.resourceVersion).toBe(rv);
    // What the node lifecycle controller does when leases stop: Ready Unknown.
    const node = (await getNode(client)) as KubeObject;
    const status = node.status as { conditions: { type: string; status: string }[] };
    status.conditions = status.conditions.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c,
    );
    await client.updateStatus(NODES, node);
    await expect
      .poll(async () => {
        const n = await getNode(client);
        const conds = (n?.status as typeof status).conditions;
        return conds.find((c) => c.type === 'Ready')?.status;
      }, WAIT)
      .toBe('True');
    // The recorder folds the repeat into the first NodeReady event.
    await expect
      .poll(
        async () => (await nodeEvents(client)).find((e) => e.reason === 'NodeReady')?.count,
        WAIT,
      )
      .toBe(2);
  });

  it('re-registers over an existing node: keeps the cordon, fixes labels, says NotSchedulable', async () => {
    const { client } = createInMemoryApi();
    await client.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1', labels: { 'kubernetes.io/hostname': 'stale', keep: 'me' } },
      spec: { unschedulable: true },
    });
    run(client);
    await expect
      .poll(async () => (await getNode(client))?.metadata.labels?.['kubernetes.io/hostname'], WAIT)
      .toBe('node1');
    const node = (await getNode(client)) as KubeObject;
    expect(node.spec).toMatchObject({ unschedulable: true });
    expect(node.metadata.labels?.keep).toBe('me');
    await expect
      .poll(
        async () =>
          ((await getNode(client))?.status as { nodeInfo?: unknown } | undefined)?.nodeInfo,
        WAIT,
      )
      .toMatchObject({ kubeletVersion: 'v1.32.4' });
    await expect
      .poll(async () => reasons(await nodeEvents(client)), WAIT)
      .toContain('NodeNotSchedulable');
    await client.patch(NODES, '', 'node1', 'merge', { spec: { unschedulable: null } });
    await expect
      .poll(async () => reasons(await nodeEvents(client)), WAIT)
      .toContain('NodeSchedulable');
  });
});
