// The storage peer: the same store-level operations (create/get/update/delete, prefix range,
// watch fan-out) against etcd's v3 HTTP/JSON gateway. etcd is a store, not an API server:
// compare it with kubeproc's whole request path only as a floor for the storage layer.
import { timeVerbs } from './crud.js';
import { b64, etcdClient, locateEtcd, prefixEnd, startEtcd } from './etcd.js';
import { nameOf } from './fixtures.js';
import { keepAliveAgent, runPool } from './http.js';
import { memoryMb, sleep } from './processes.js';
import { median, nowMs, round } from './stats.js';
import { benchWatch } from './watch.js';

const log = (msg) => process.stderr.write(`bench: etcd: ${msg}\n`);

function crudVariant(etcd, { prefix, count, concurrency, value }) {
  const revisions = new Array(count);
  const key = (i) => `/registry/pods/bench-pods/${nameOf(prefix, i)}`;
  const ops = {
    create: async (i) => {
      const r = await etcd.txnCreate(key(i), value);
      revisions[i] = r.revision;
      return r;
    },
    get: (i) => etcd.call('kv/range', { key: b64(key(i)) }),
    update: (i) => etcd.txnUpdate(key(i), value, revisions[i]),
    delete: (i) => etcd.call('kv/deleterange', { key: b64(key(i)) }),
  };
  return timeVerbs({ count, concurrency, ops });
}

async function crudPhase(etcd, sizes, value) {
  const variant = (prefix, count, concurrency) =>
    crudVariant(etcd, { prefix, count, concurrency, value });
  await variant('warm', sizes.warmup, 1);
  const sequential = await variant('seq', sizes.crudOps, 1);
  const concurrent = await variant('conc', sizes.crudOps, sizes.concurrency);
  return {
    ops: 'create = txn(create_revision==0 -> put), get = range, update = txn(mod_revision==r -> put), delete = deleterange',
    opsPerVerb: sizes.crudOps,
    getResponseBytes: sequential.objectBytes,
    sequential: sequential.result,
    [`concurrency${sizes.concurrency}`]: concurrent.result,
  };
}

async function rangePhase(etcd, sizes, value) {
  const result = {};
  for (const count of sizes.listSizes) {
    const prefix = `/registry/pods/list-${count}/`;
    log(`seeding ${count} keys, range ${sizes.listRepeat}x`);
    const started = nowMs();
    await runPool(count, sizes.concurrency, (i) =>
      etcd.txnCreate(`${prefix}${nameOf('pod', i)}`, value),
    );
    const seedCreatesPerSec = round((count / (nowMs() - started)) * 1000, 0);
    const fetch = () => etcd.call('kv/range', { key: b64(prefix), range_end: prefixEnd(prefix) });
    const first = await fetch();
    const ms = [];
    for (let i = 0; i < sizes.listRepeat; i++) {
      ms.push((await fetch()).ms);
    }
    result[String(count)] = {
      keys: count,
      seedCreatesPerSec,
      range: {
        medianMs: round(median(ms), 2),
        minMs: round(Math.min(...ms), 2),
        maxMs: round(Math.max(...ms), 2),
        responseBytes: first.body.length,
        items: first.json.kvs?.length ?? 0,
      },
    };
  }
  return result;
}

async function watchPhase(url, sizes, value) {
  const agent = keepAliveAgent(1);
  const etcd = etcdClient(url, agent);
  const prefix = '/registry/pods/bench-watch/';
  const range = { key: b64(prefix), range_end: prefixEnd(prefix) };
  const head = await etcd.call('kv/range', { ...range, count_only: true });
  const startRevision = Number(head.json.header.revision) + 1;
  const body = JSON.stringify({
    create_request: { ...range, start_revision: String(startRevision) },
  });
  const result = await benchWatch({
    workerData: {
      url,
      path: '/v3/watch',
      method: 'POST',
      body,
      watchers: sizes.watchers,
      mode: 'etcd',
    },
    writes: sizes.watchWrites,
    write: async (i) => {
      const startMs = nowMs();
      const r = await etcd.txnCreate(`${prefix}${nameOf('w', i)}`, value);
      return { revision: r.revision, startMs, ackMs: r.end };
    },
  });
  agent.destroy();
  return { startRevision, write: 'txn create', ...result };
}

async function coldStarts(binary, runs, track) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const e = await track(startEtcd(binary));
    samples.push(e.readyMs);
    await e.stop();
  }
  return {
    runs,
    medianMs: round(median(samples), 1),
    samplesMs: samples.map((v) => round(v, 1)),
    readiness: 'GET /health answers 200',
  };
}

/** Runs the peer suite; resolves with { peer } or { peer: null, reason }. */
export async function runEtcdPeer(sizes, samplePod, track) {
  const found = locateEtcd();
  if (!found.path) {
    return { peer: null, reason: found.reason };
  }
  const value = b64(samplePod);
  const peer = {
    kind: 'storage peer (etcd v3 HTTP/JSON gateway), not an API server: no validation, defaulting, admission, conversion or Table printing',
    etcd: {
      version: found.version,
      binary: found.path,
      installedByThisRun: found.installedByThisRun,
    },
    valueBytes: samplePod.length,
    valueNote: 'each value is the JSON of one kubeproc Pod as served (base64 on the wire)',
    durability:
      'etcd fsyncs its WAL before acknowledging each write; kubeproc uses SQLite WAL with synchronous=NORMAL (no fsync per commit)',
  };
  log(`cold starts x${sizes.coldStarts}`);
  peer.startup = await coldStarts(found.path, sizes.coldStarts, track);
  const e = await track(startEtcd(found.path));
  try {
    await sleep(sizes.idleMs);
    peer.idleMemory = { afterIdleMs: sizes.idleMs, ...memoryMb(e.pid) };
    const agent = keepAliveAgent(16);
    const etcd = etcdClient(e.url, agent);
    log(`CRUD (${sizes.crudOps} per verb, sequential and c${sizes.concurrency})`);
    peer.crud = await crudPhase(etcd, sizes, value);
    peer.range = await rangePhase(etcd, sizes, value);
    agent.destroy();
    log(`watch: ${sizes.watchers} watchers, ${sizes.watchWrites} writes`);
    peer.watch = await watchPhase(e.url, sizes, value);
    peer.watch.memoryAtEnd = memoryMb(e.pid);
  } finally {
    await e.stop();
  }
  return { peer };
}
