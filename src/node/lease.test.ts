// NodeLease against the real API: creation, renewal, and recovery from other writers.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../api/in-memory.js';
import type { KubeObject } from '../apis/meta.js';
import { LEASES, NODES } from '../client/resources.js';
import type { Clock } from '../lib/clock.js';
import { NodeLease } from './lease.js';

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  constructor(private t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  step(ms: number): void {
    this.t += ms;
  }
}

function setup() {
  const { client } = createInMemoryApi();
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00.123Z'));
  const lease = new NodeLease({
    client,
    log: pino({ level: 'silent' }),
    clock,
    nodeName: 'node1',
    leaseDurationSeconds: 40,
  });
  const get = () => client.get(LEASES, 'kube-node-lease', 'node1');
  const spec = async () => (await get()).spec as Record<string, unknown>;
  return { client, clock, lease, get, spec };
}

describe('NodeLease', () => {
  it('creates the lease, then moves renewTime on each renewal', async () => {
    const { clock, lease, spec } = setup();
    await lease.renew();
    expect(await spec()).toEqual({
      holderIdentity: 'node1',
      leaseDurationSeconds: 40,
      renewTime: '2026-01-01T00:00:00.123000Z',
    });
    clock.step(10_000);
    await lease.renew();
    expect((await spec()).renewTime).toBe('2026-01-01T00:00:10.123000Z');
  });

  it('adds the owner reference once the Node exists', async () => {
    const { client, lease, get } = setup();
    await lease.renew();
    expect((await get()).metadata.ownerReferences).toBeUndefined();
    const node = await client.create(NODES, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1' },
    });
    await lease.renew();
    expect((await get()).metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'node1', uid: node.metadata.uid },
    ]);
  });

  it.each([
    [
      'taken over by another writer',
      async (client: ReturnType<typeof setup>['client'], lease: KubeObject) => {
        await client.update(LEASES, {
          ...lease,
          spec: { ...(lease.spec as object), holderIdentity: 'x' },
        });
      },
    ],
    [
      'deleted',
      async (client: ReturnType<typeof setup>['client'], lease: KubeObject) => {
        await client.delete(LEASES, 'kube-node-lease', lease.metadata.name ?? '');
      },
    ],
  ])('recovers when the lease was %s', async (_name, disturb) => {
    const { client, clock, lease, get, spec } = setup();
    await lease.renew();
    await disturb(client, await get());
    clock.step(10_000);
    await lease.renew();
    expect(await spec()).toMatchObject({
      holderIdentity: 'node1',
      renewTime: '2026-01-01T00:00:10.123000Z',
    });
  });
});
