// How long a node sample takes to reach metrics.k8s.io (the scrape's offset v behind the node's
// sampler): both are polled; each change of the metrics API's node usage is matched to the
// summary change before it.
import { sleep } from '../api/processes.js';
import { median, nowMs, round } from '../api/stats.js';
import { call } from '../controllers/client.js';

/** The time of each change of `read()`'s value while polling every intervalMs until `until`. */
async function changes(read, intervalMs, until) {
  const times = [];
  let last;
  while (nowMs() < until) {
    const started = nowMs();
    const value = await read().catch(() => undefined);
    if (value !== undefined && last !== undefined && value !== last) {
      times.push(started);
    }
    last = value ?? last;
    await sleep(Math.max(0, intervalMs - (nowMs() - started)));
  }
  return times;
}

/**
 * Polls the node's stats summary and its NodeMetrics for `seconds`; returns the lag from a new
 * sample in the summary to the metrics API showing a new value (median, with each lag).
 */
export async function metricsPipelineOffset(ctx, { seconds, resolutionS }) {
  const intervalMs = Math.max(20, Math.min(200, (resolutionS * 1000) / 20));
  const get = async (path) => (await call(ctx.url, { path, agent: ctx.agent })).json;
  const summary = () =>
    get(`/api/v1/nodes/${ctx.nodeName}/proxy/stats/summary`).then((s) => s.node?.cpu?.time);
  const metrics = () =>
    get(`/apis/metrics.k8s.io/v1beta1/nodes/${ctx.nodeName}`).then(
      (m) => m.timestamp + m.usage?.cpu,
    );
  const until = nowMs() + seconds * 1000;
  const [samples, scrapes] = await Promise.all([
    changes(summary, intervalMs, until),
    changes(metrics, intervalMs, until),
  ]);
  const lags = [];
  for (const m of scrapes) {
    const s = samples.filter((t) => t <= m).pop();
    if (s !== undefined) {
      lags.push(m - s);
    }
  }
  return {
    pollIntervalMs: intervalMs,
    sampleChanges: samples.length,
    scrapeChanges: scrapes.length,
    lagsMs: lags.map((l) => round(l, 0)),
    medianLagMs: lags.length ? round(median(lags), 0) : null,
  };
}
