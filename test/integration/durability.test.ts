// Crash durability of the store: 8 clients write ConfigMaps until kubeproc is killed with -9, then
// a restart on the same data dir must hold every acknowledged write, resume watches, 410 old ones.
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { apiRequest, launchKubeproc, openWatch, tempDir } from './processes.js';
import type { HttpResult, Launched, WatchEvent } from './processes.js';

const NS = 'crash';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const WRITERS = 8;
const OBJECTS_PER_WRITER = 4;

type Data = Record<string, string>;
interface Present {
  uid: string;
  rv: number;
  data: Data;
}
type Op = 'ADDED' | 'MODIFIED' | 'DELETED';
/** One acknowledged write; deletes are answered with a Status, so their revision is unknown. */
interface Ack {
  name: string;
  type: Op;
  uid: string;
  rv?: number;
}
interface Tracked {
  name: string;
  acked?: Present;
  acks: Ack[];
  /** The write in flight when the server died: it may or may not have been committed. */
  pending?: { type: Op; data?: Data };
}
interface ConfigMap {
  metadata: {
    name: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp?: string;
    namespace?: string;
  };
  data?: Data;
}

let dir: string;
let server: Launched;
const tracked = new Map<string, Tracked>();
const failures: string[] = [];
let acksBeforeKill = 0;
/** The revision of the last write before the compaction test. */
let lastWriteRv = 0;

const sum = (payload: string, seq: string): string =>
  createHash('sha256').update(`${payload}/${seq}`).digest('hex');

function dataFor(writer: number, seq: number): Data {
  const payload = String.fromCharCode(97 + (seq % 26)).repeat(100 + ((seq * 37) % 4000));
  return { writer: String(writer), seq: String(seq), payload, sum: sum(payload, String(seq)) };
}

const start = (): Promise<Launched> =>
  launchKubeproc({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kubeconfig'), home: dir });

const json = (text: string): unknown => JSON.parse(text) as unknown;

function send(agent: Agent, t: Tracked, type: Op, data: Data): Promise<HttpResult> {
  const headers = { 'Content-Type': 'application/json' };
  const meta = { name: t.name, ...(t.acked ? { resourceVersion: String(t.acked.rv) } : {}) };
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data });
  if (type === 'ADDED') {
    return apiRequest(server.url, CMS, { method: 'POST', headers, body, agent });
  }
  const path = `${CMS}/${t.name}`;
  return type === 'MODIFIED'
    ? apiRequest(server.url, path, { method: 'PUT', headers, body, agent })
    : apiRequest(server.url, path, { method: 'DELETE', agent });
}

/** Records an acknowledged write: deletes answer a Status (uid, no revision), others the object. */
function record(t: Tracked, type: Op, data: Data, res: HttpResult): void {
  if (type === 'DELETED') {
    const status = json(res.text) as { details?: { uid?: string } };
    t.acks.push({ name: t.name, type, uid: status.details?.uid ?? '' });
    delete t.acked;
  } else {
    const cm = json(res.text) as ConfigMap;
    const rv = Number(cm.metadata.resourceVersion);
    t.acked = { uid: cm.metadata.uid, rv, data };
    t.acks.push({ name: t.name, type, uid: cm.metadata.uid, rv });
  }
  delete t.pending;
}

/** One write for tracked object t; resolves false when the server is gone. */
async function writeOnce(agent: Agent, t: Tracked, writer: number, seq: number): Promise<boolean> {
  const data = dataFor(writer, seq);
  const round = Math.floor(seq / OBJECTS_PER_WRITER);
  const type: Op = !t.acked ? 'ADDED' : round % 6 === 5 ? 'DELETED' : 'MODIFIED';
  t.pending = { type, data };
  let res: HttpResult;
  try {
    res = await send(agent, t, type, data);
  } catch {
    return false;
  }
  if (res.status !== (type === 'ADDED' ? 201 : 200)) {
    failures.push(`${type} ${t.name}: ${res.status} ${res.text.slice(0, 300)}`);
    return false;
  }
  record(t, type, data, res);
  return true;
}

/** Whether the stored object is exactly the last acknowledged state of t. */
function isAcked(t: Tracked, got: ConfigMap | undefined): boolean {
  if (!t.acked) {
    return got === undefined;
  }
  const rv = Number(got?.metadata.resourceVersion);
  const sameData = JSON.stringify(got?.data) === JSON.stringify(t.acked.data);
  return got?.metadata.uid === t.acked.uid && rv === t.acked.rv && sameData;
}

/** Whether the stored object is what the unacknowledged in-flight write would have made. */
function isPendingResult(t: Tracked, got: ConfigMap | undefined): boolean {
  const p = t.pending;
  if (p === undefined || p.type === 'DELETED' || got === undefined) {
    return p?.type === 'DELETED' && got === undefined;
  }
  const newer = Number(got.metadata.resourceVersion) > (t.acked?.rv ?? 0);
  const sameObject = p.type === 'ADDED' || got.metadata.uid === t.acked?.uid;
  return newer && sameObject && JSON.stringify(got.data) === JSON.stringify(p.data);
}

/** A stored object must be one of ours, whole: its checksum matches its payload. */
function checkComplete(cm: ConfigMap): void {
  expect(tracked.has(cm.metadata.name), `unexpected object ${cm.metadata.name}`).toBe(true);
  const d = cm.data ?? {};
  expect(d.sum, `partial object ${cm.metadata.name}`).toBe(sum(d.payload ?? '', d.seq ?? ''));
  expect(cm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  expect(cm.metadata.creationTimestamp).toBeTruthy();
  expect(cm.metadata.namespace).toBe(NS);
}

function describeState(t: Tracked, got: ConfigMap | undefined): string {
  const acked = t.acked ? `rv ${t.acked.rv} seq ${t.acked.data.seq}` : 'absent';
  const pending = t.pending ? `${t.pending.type} seq ${t.pending.data?.seq}` : 'none';
  const stored = got ? `rv ${got.metadata.resourceVersion} seq ${got.data?.seq}` : 'absent';
  return `${t.name}: acked ${acked}, in flight ${pending}, stored ${stored}`;
}

async function writer(w: number, stop: { now: boolean }): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let seq = 0; !stop.now; seq++) {
      const name = `w${w}-${seq % OBJECTS_PER_WRITER}`;
      const t = tracked.get(name) ?? { name, acks: [] };
      tracked.set(name, t);
      if (!(await writeOnce(agent, t, w, seq))) {
        return;
      }
    }
  } finally {
    agent.destroy();
  }
}

async function list(): Promise<{ rv: number; items: ConfigMap[] }> {
  const res = await apiRequest(server.url, CMS);
  expect(res.status).toBe(200);
  const body = json(res.text) as { metadata: { resourceVersion: string }; items: ConfigMap[] };
  return { rv: Number(body.metadata.resourceVersion), items: body.items };
}

const allAcks = (): Ack[] => [...tracked.values()].flatMap((t) => t.acks);
const maxAckedRv = (): number => Math.max(...allAcks().map((a) => a.rv ?? 0));

beforeAll(async () => {
  dir = tempDir('kubeproc-durability-');
  server = await start();
  const ns = await apiRequest(server.url, '/api/v1/namespaces', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
  });
  expect(ns.status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 under concurrent writes', () => {
  it('acknowledges writes from 8 parallel clients until the process is killed', async () => {
    const stop = { now: false };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w, stop));
    const deadline = Date.now() + 30_000;
    while (allAcks().length < 2000 && Date.now() < deadline && failures.length === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    acksBeforeKill = allAcks().length;
    const inFlight = [...tracked.values()].filter((t) => t.pending !== undefined).length;
    await server.kill9();
    await Promise.all(writers);
    stop.now = true;
    expect(failures).toEqual([]);
    expect(acksBeforeKill).toBeGreaterThanOrEqual(2000);
    // The kill must land while writes are in flight, or it tests nothing.
    expect(inFlight).toBeGreaterThan(0);
    expect(allAcks().filter((a) => a.type === 'DELETED').length).toBeGreaterThan(0);
  });

  it('restarts on the same data dir with every acknowledged write and no partial object', async () => {
    server = await start();
    const { rv, items } = await list();
    const byName = new Map(items.map((cm) => [cm.metadata.name, cm]));
    expect(rv).toBeGreaterThanOrEqual(maxAckedRv());
    items.forEach(checkComplete);
    for (const t of tracked.values()) {
      const got = byName.get(t.name);
      expect(isAcked(t, got) || isPendingResult(t, got), describeState(t, got)).toBe(true);
    }
  });

  it('replays the changes after an old resourceVersion, in order, to a resumed watch', async () => {
    const withRv = allAcks()
      .filter((a) => a.rv !== undefined)
      .sort((a, b) => (a.rv ?? 0) - (b.rv ?? 0));
    const from = withRv[Math.floor(withRv.length / 2)]?.rv ?? 0;
    const watch = await openWatch(server.url, `${CMS}?watch=true&resourceVersion=${from}`);
    try {
      expect(watch.status).toBe(200);
      const expectedRvs = withRv.filter((a) => (a.rv ?? 0) > from).map((a) => a.rv);
      await watch.waitFor('the replayed acknowledged writes', (events) => {
        const seen = new Set(events.map((e) => Number(e.object.metadata.resourceVersion)));
        return expectedRvs.every((rv) => seen.has(rv ?? 0));
      });
      const rvs = watch.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs[0]).toBeGreaterThan(from);
      expect(
        rvs.every((rv, i) => i === 0 || rv > (rvs[i - 1] ?? 0)),
        `out of order: ${rvs.join(',')}`,
      ).toBe(true);
      for (const t of tracked.values()) {
        checkReplay(
          t,
          from,
          watch.events.filter((e) => e.object.metadata.name === t.name),
        );
      }
    } finally {
      watch.close();
    }
  });

  it('keeps resourceVersions increasing after the restart', async () => {
    const before = maxAckedRv();
    const res = await apiRequest(server.url, CMS, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'after-restart' },
      }),
    });
    expect(res.status).toBe(201);
    const created = json(res.text) as ConfigMap;
    const { items } = await list();
    const highest = Math.max(
      ...items
        .filter((c) => c.metadata.name !== 'after-restart')
        .map((c) => Number(c.metadata.resourceVersion)),
    );
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(Math.max(before, highest));
    const t = [...tracked.values()].find(
      (x) => x.acked && items.some((c) => c.metadata.uid === x.acked?.uid),
    );
    const current = items.find((c) => c.metadata.name === t?.name);
    const put = await apiRequest(server.url, `${CMS}/${current?.metadata.name ?? ''}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...current, data: { changed: 'yes' } }),
    });
    expect(put.status).toBe(200);
    lastWriteRv = Number((json(put.text) as ConfigMap).metadata.resourceVersion);
    expect(lastWriteRv).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it('answers a watch from a compacted resourceVersion with a 410 Expired ERROR event', async () => {
    // Compaction runs only on a 5-minute timer inside kubeproc; with the process stopped, the
    // test compacts the same data dir through the store's own API, then restarts on it.
    await server.stop();
    expect(lastWriteRv).toBeGreaterThan(10);
    const compactTo = lastWriteRv - 1;
    const store = openSqliteStore(join(dir, 'data'));
    store.compact(compactTo);
    store.close();
    server = await start();
    const old = compactTo - 5;
    const gone = await openWatch(server.url, `${CMS}?watch=true&resourceVersion=${old}`);
    await gone.waitFor('the ERROR event', (events) => events.length > 0);
    expect(gone.status).toBe(200);
    expect(gone.events[0]).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${old} (${compactTo})`,
        reason: 'Expired',
        code: 410,
      },
    });
    gone.close();
    const kept = await openWatch(server.url, `${CMS}?watch=true&resourceVersion=${compactTo}`);
    try {
      await kept.waitFor('the write after the compacted revision', (events) => events.length > 0);
      expect(kept.events[0]?.type).toBe('MODIFIED');
      expect(kept.events.map((e: WatchEvent) => Number(e.object.metadata.resourceVersion))).toEqual(
        [lastWriteRv],
      );
    } finally {
      kept.close();
    }
  });
});

const label = (e: { type: string; uid?: string }): string => `${e.type}/${e.uid ?? ''}`;

/** Events equal the acks from index s on, plus at most the in-flight write if it was committed. */
function replayMatches(t: Tracked, got: string[], s: number): boolean {
  const want = t.acks.slice(s).map(label);
  const extra = got.slice(want.length);
  const pendingOk =
    extra.length === 1 && extra[0]?.startsWith(`${t.pending?.type ?? '-'}/`) === true;
  return want.every((w, i) => got[i] === w) && (extra.length === 0 || pendingOk);
}

/** The watch events of one object must be its acknowledged writes after `from` (+ the lost one). */
function checkReplay(t: Tracked, from: number, events: WatchEvent[]): void {
  const firstAfter = t.acks.findIndex((a) => a.rv !== undefined && a.rv > from);
  let start = firstAfter < 0 ? t.acks.length : firstAfter;
  const got = events.map((e) => label({ type: e.type, uid: e.object.metadata.uid }));
  // A delete has no known revision: one right before the first later write may be on either side.
  const deleteBefore = start > 0 && t.acks[start - 1]?.type === 'DELETED';
  if (deleteBefore && !replayMatches(t, got, start)) {
    start -= 1;
  }
  const why = `${t.name}: events ${got.join(' ')} vs acks ${t.acks.slice(start).map(label).join(' ')}`;
  expect(replayMatches(t, got, start), why).toBe(true);
  for (const [i, a] of t.acks.slice(start).entries()) {
    if (a.rv !== undefined) {
      expect(Number(events[i]?.object.metadata.resourceVersion)).toBe(a.rv);
    }
  }
}
