// The kubeproc half of the benchmark: cold starts, idle RSS, CRUD latency, lists, watch fan-out.
import { benchCrud } from './crud.js';
import { configMapBody, nameOf, namespaceBody, podBody } from './fixtures.js';
import { keepAliveAgent, requestJson } from './http.js';
import { startKubeproc, nodeBaselineMs } from './kubeproc.js';
import { benchList, seedPods } from './list.js';
import { memoryMb, sleep } from './processes.js';
import { median, nowMs, round } from './stats.js';
import { benchWatch } from './watch.js';

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Median of `runs` cold starts, each with a fresh data dir; the server is stopped after each. */
export async function coldStarts(runs, track) {
  const readyMs = [];
  const listeningLineMs = [];
  const nodeMs = [];
  let cleanStops = 0;
  for (let i = 0; i < runs; i++) {
    nodeMs.push(await nodeBaselineMs());
    const k = await track(startKubeproc());
    readyMs.push(k.readyMs);
    listeningLineMs.push(await k.listeningLine());
    // A SIGTERM while kubeproc is still printing its banner finds no handler yet and kills it
    // uncleanly; give it a moment so every cold start also ends with a clean shutdown.
    await sleep(50);
    const exit = await k.stop();
    cleanStops += exit.code === 0 ? 1 : 0;
  }
  return {
    runs,
    medianMs: round(median(readyMs), 1),
    samplesMs: readyMs.map((v) => round(v, 1)),
    listeningLineMedianMs: round(median(listeningLineMs), 1),
    nodeEmptyScriptMedianMs: round(median(nodeMs), 1),
    stopsWithExitCode0: cleanStops,
  };
}

/** Runs everything against one long-lived kubeproc; `sizes` sets op counts. */
export async function runKubeprocSuite(sizes, track) {
  const out = {};
  log(`cold starts x${sizes.coldStarts}`);
  out.startup = await coldStarts(sizes.coldStarts, track);
  const k = await track(startKubeproc());
  try {
    log(`idle ${sizes.idleMs} ms`);
    await sleep(sizes.idleMs);
    out.idleMemory = { afterIdleMs: sizes.idleMs, ...memoryMb(k.pid) };
    const agent = keepAliveAgent(16);
    for (const ns of ['bench-cm', 'bench-pods', 'bench-watch']) {
      await requestJson(k.url, {
        method: 'POST',
        path: '/api/v1/namespaces',
        body: namespaceBody(ns),
        agent,
      });
    }
    const crud = {
      count: sizes.crudOps,
      concurrency: sizes.concurrency,
      warmup: sizes.warmup,
      url: k.url,
      agent,
    };
    log(`CRUD configmaps (${sizes.crudOps} per verb, sequential and c${sizes.concurrency})`);
    out.crud = {
      configmaps: await benchCrud({
        ...crud,
        resource: 'configmaps',
        namespace: 'bench-cm',
        makeBody: configMapBody,
      }),
    };
    log(`CRUD pods`);
    out.crud.pods = await benchCrud({
      ...crud,
      resource: 'pods',
      namespace: 'bench-pods',
      makeBody: podBody,
    });
    out.memoryAfterCrud = memoryMb(k.pid);
    out.list = await listPhase(k.url, agent, sizes);
    out.memoryAfterLists = memoryMb(k.pid);
    out.samplePod = (
      await requestJson(k.url, {
        path: `/api/v1/namespaces/list-${sizes.listSizes[0]}/pods/${nameOf('pod', 0)}`,
        agent,
      })
    ).body.toString();
    log(`watch: ${sizes.watchers} watchers, ${sizes.watchWrites} pod creates`);
    out.watch = await watchPhase(k.url, sizes);
    out.watch.memoryAtEnd = memoryMb(k.pid);
    agent.destroy();
  } finally {
    await k.stop();
  }
  return out;
}

async function listPhase(url, agent, sizes) {
  const result = {};
  for (const count of sizes.listSizes) {
    const namespace = `list-${count}`;
    log(`seeding ${count} pods in ${namespace}`);
    const seedOpsPerSec = await seedPods({
      url,
      agent,
      namespace,
      count,
      concurrency: sizes.concurrency,
    });
    log(`listing ${namespace} (${sizes.listRepeat} x JSON, Table, paged Table)`);
    result[String(count)] = {
      pods: count,
      seedCreatesPerSec: seedOpsPerSec,
      ...(await benchList({ url, agent, namespace, repeat: sizes.listRepeat })),
    };
  }
  return result;
}

async function watchPhase(url, sizes) {
  const namespace = 'bench-watch';
  const agent = keepAliveAgent(1);
  const base = `/api/v1/namespaces/${namespace}/pods`;
  const rv = (await requestJson(url, { path: base, agent })).json.metadata.resourceVersion;
  const result = await benchWatch({
    workerData: {
      url,
      path: `${base}?watch=true&resourceVersion=${rv}`,
      method: 'GET',
      watchers: sizes.watchers,
      mode: 'kube',
    },
    writes: sizes.watchWrites,
    write: async (i) => {
      const startMs = nowMs();
      const r = await requestJson(url, {
        method: 'POST',
        path: base,
        body: podBody(namespace, nameOf('w', i), i),
        agent,
      });
      return { revision: Number(r.json.metadata.resourceVersion), startMs, ackMs: r.end };
    },
  });
  agent.destroy();
  return { resourceVersion: rv, write: 'pod create', ...result };
}
