// Create / get / update / delete latency over HTTP keep-alive: sequential and at a fixed
// concurrency, for one resource (ConfigMaps or Pods) in its own namespace.
import { requestJson, runPool } from './http.js';
import { nameOf } from './fixtures.js';
import { nowMs, round, summarize } from './stats.js';

/** The metadata-only change each update makes: Pods allow few spec changes, annotations always work. */
function mutate(obj, i) {
  const next = structuredClone(obj);
  next.metadata.annotations = {
    ...(next.metadata.annotations ?? {}),
    'bench.kubeproc.dev/updated': String(i),
  };
  if (next.data) {
    next.data['feature-flags'] = `checkout=on,search=on,run=${i}`;
  }
  return next;
}

/**
 * Runs `count` ops of each verb in order at `concurrency`; ops[verb](i) resolves with
 * { ms, body }. Returns per-verb latency summaries and the size of the first `get` answer.
 */
export async function timeVerbs({ count, concurrency, ops }) {
  const result = {};
  let bytes = 0;
  for (const verb of Object.keys(ops)) {
    const latencies = new Float64Array(count);
    const started = nowMs();
    await runPool(count, concurrency, async (i) => {
      const r = await ops[verb](i);
      latencies[i] = r.ms;
      if (verb === 'get' && i === 0) {
        bytes = r.body.length;
      }
    });
    const wallMs = nowMs() - started;
    result[verb] = {
      ...summarize(Array.from(latencies)),
      opsPerSec: round((count / wallMs) * 1000, 0),
    };
  }
  return { result, objectBytes: bytes };
}

function runVariant(ctx, { prefix, count, concurrency }) {
  const { url, agent, resource, namespace, makeBody } = ctx;
  const base = `/api/v1/namespaces/${namespace}/${resource}`;
  const objects = new Array(count);
  const ops = {
    create: async (i) => {
      const r = await requestJson(url, {
        method: 'POST',
        path: base,
        body: makeBody(namespace, nameOf(prefix, i), i),
        agent,
      });
      objects[i] = r.json;
      return r;
    },
    get: (i) => requestJson(url, { path: `${base}/${nameOf(prefix, i)}`, agent }),
    update: (i) =>
      requestJson(url, {
        method: 'PUT',
        path: `${base}/${nameOf(prefix, i)}`,
        body: mutate(objects[i], i),
        agent,
      }),
    delete: (i) =>
      requestJson(url, { method: 'DELETE', path: `${base}/${nameOf(prefix, i)}`, agent }),
  };
  return timeVerbs({ count, concurrency, ops });
}

/**
 * Benchmarks one resource: a warm-up, then `count` sequential ops per verb, then `count` ops
 * per verb with `concurrency` in flight. Objects are deleted again at the end of each variant.
 */
export async function benchCrud({
  url,
  agent,
  resource,
  namespace,
  makeBody,
  count,
  concurrency,
  warmup,
}) {
  const ctx = { url, agent, resource, namespace, makeBody };
  await runVariant(ctx, { prefix: 'warm', count: warmup, concurrency: 1 });
  const sequential = await runVariant(ctx, { prefix: 'seq', count, concurrency: 1 });
  const concurrent = await runVariant(ctx, { prefix: `c${concurrency}`, count, concurrency });
  return {
    resource,
    opsPerVerb: count,
    warmupOpsPerVerb: warmup,
    getResponseBytes: sequential.objectBytes,
    sequential: sequential.result,
    [`concurrency${concurrency}`]: concurrent.result,
  };
}
