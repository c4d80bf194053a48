import { describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../api/in-memory.js';
import { EventRecorder } from './event-recorder.js';
import { SharedInformerFactory } from './informer.js';
import { CONFIGMAPS, EVENTS } from './resources.js';
import type { KubeObject } from '../apis/meta.js';

const until = async (what: string, fn: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!fn()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('informers over the in-process client', () => {
  it('lists, then follows adds, updates and deletes', async () => {
    const { client } = createInMemoryApi();
    await client.create(CONFIGMAPS, { metadata: { name: 'before', namespace: 'default' } });
    const factory = new SharedInformerFactory(client);
    const informer = factory.informerFor(CONFIGMAPS, { namespace: 'default' });
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add:${o.metadata.name}`),
      onUpdate: (_a, b) => seen.push(`update:${b.metadata.name}`),
      onDelete: (o) => seen.push(`delete:${o.metadata.name}`),
    });
    const stop = new AbortController();
    const running = factory.start(stop.signal);
    await factory.waitForSync();
    expect(informer.get('default', 'before')).toBeDefined();
    await client.create(CONFIGMAPS, { metadata: { name: 'after', namespace: 'default' } });
    await client.patch(CONFIGMAPS, 'default', 'after', 'merge', { data: { k: 'v' } });
    await client.delete(CONFIGMAPS, 'default', 'before');
    await until('the delete event', () => seen.includes('delete:before'));
    expect(seen).toEqual(['add:before', 'add:after', 'update:after', 'delete:before']);
    expect(informer.list('default').map((o) => o.metadata.name)).toEqual(['after']);
    expect((informer.get('default', 'after')?.data as Record<string, string>).k).toBe('v');
    stop.abort();
    await running;
  });
});

describe('EventRecorder', () => {
  it('records events and aggregates repeats into a count', async () => {
    const { client } = createInMemoryApi();
    const cm = await client.create(CONFIGMAPS, { metadata: { name: 'x', namespace: 'default' } });
    const recorder = new EventRecorder(client, 'test-controller');
    recorder.event(cm, 'Normal', 'Synced', 'synced x');
    recorder.event(cm, 'Normal', 'Synced', 'synced x');
    recorder.event(cm, 'Warning', 'Failed', 'could not sync x');
    await recorder.flush();
    const events = (
      await client.list(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.name=x' })
    ).items;
    const byReason = (r: string): KubeObject | undefined => events.find((e) => e.reason === r);
    expect(events).toHaveLength(2);
    expect(byReason('Synced')).toMatchObject({
      count: 2,
      type: 'Normal',
      source: { component: 'test-controller' },
      involvedObject: { kind: 'ConfigMap', name: 'x', uid: cm.metadata.uid },
    });
    expect(byReason('Failed')?.count).toBe(1);
  });
});

describe('EventRecorder spam filter and aggregation', () => {
  it('keeps at most 25 events per object, and combines many messages for one reason', async () => {
    const { client } = createInMemoryApi();
    const cm = await client.create(CONFIGMAPS, {
      metadata: { name: 'noisy', namespace: 'default' },
    });
    const recorder = new EventRecorder(client, 'test-controller');
    for (let i = 0; i < 40; i++) {
      recorder.event(cm, 'Normal', 'Created', `created thing ${i}`);
    }
    await recorder.flush();
    const events = (
      await client.list(EVENTS, {
        namespace: 'default',
        fieldSelector: 'involvedObject.name=noisy',
      })
    ).items;
    const total = events.reduce((n, e) => n + ((e.count as number | undefined) ?? 1), 0);
    expect(total).toBe(25);
    const combined = events.find((e) =>
      String(e.message).startsWith('(combined from similar events): '),
    );
    expect(combined?.count).toBe(16);
    expect(combined?.message).toBe('(combined from similar events): created thing 24');
    expect(events).toHaveLength(10);
  });
});
