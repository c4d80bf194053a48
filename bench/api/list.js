// List latency and size: N realistic Pods in a namespace, listed as JSON and as a Table, plus
// the paged Table requests kubectl makes (limit=500 and continue tokens).
import { request, requestJson, runPool, TABLE_ACCEPT } from './http.js';
import { nameOf, namespaceBody, podBody } from './fixtures.js';
import { median, nowMs, round } from './stats.js';

/** Creates a namespace and `count` Pods in it at `concurrency`; returns ops/s. */
export async function seedPods({ url, agent, namespace, count, concurrency }) {
  await requestJson(url, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespaceBody(namespace),
    agent,
  });
  const started = nowMs();
  await runPool(count, concurrency, (i) =>
    requestJson(url, {
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/pods`,
      body: podBody(namespace, nameOf('pod', i), i),
      agent,
    }),
  );
  return round((count / (nowMs() - started)) * 1000, 0);
}

/** Times `repeat` runs of fetch() after one unmeasured warm-up; fetch resolves with { ms, bytes, items }. */
async function measure(repeat, fetch) {
  await fetch();
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    samples.push(await fetch());
  }
  const ms = samples.map((s) => s.ms);
  return {
    medianMs: round(median(ms), 2),
    minMs: round(Math.min(...ms), 2),
    maxMs: round(Math.max(...ms), 2),
    responseBytes: samples[0].bytes,
    items: samples[0].items,
  };
}

async function listOnce(url, agent, path, accept) {
  const r = await request(url, { path, agent, accept, timeoutMs: 60_000 });
  if (r.status !== 200) {
    throw new Error(`GET ${path}: HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
  }
  const body = JSON.parse(r.body.toString());
  return { ms: r.ms, bytes: r.body.length, items: (body.items ?? body.rows ?? []).length, body };
}

/** Follows continue tokens the way kubectl does (limit=500) and sums time and bytes. */
async function listPaged(url, agent, base, accept) {
  let ms = 0;
  let bytes = 0;
  let items = 0;
  let cont = '';
  let pages = 0;
  do {
    const path = `${base}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const page = await listOnce(url, agent, path, accept);
    ms += page.ms;
    bytes += page.bytes;
    items += page.items;
    pages++;
    cont = page.body.metadata?.continue ?? '';
  } while (cont && pages < 1000);
  return { ms, bytes, items, pages };
}

/** Measures one namespace's Pod list in every shape; `repeat` timed requests per shape. */
export async function benchList({ url, agent, namespace, repeat }) {
  const base = `/api/v1/namespaces/${namespace}/pods`;
  const json = await measure(repeat, () => listOnce(url, agent, base, 'application/json'));
  const table = await measure(repeat, () => listOnce(url, agent, base, TABLE_ACCEPT));
  const tablePaged = await measure(repeat, () => listPaged(url, agent, base, TABLE_ACCEPT));
  return { json, table, kubectlTablePagedLimit500: tablePaged };
}
