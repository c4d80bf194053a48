// A diagnostic beside each reaction run: metrics.k8s.io polled for the app's pods, so a run's
// delay splits into "until the metrics API shows the new level" and "until a sync acted on it".
import { sleep } from '../api/processes.js';
import { nowMs } from '../api/stats.js';
import { call } from '../controllers/client.js';

const SUFFIX = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3 };

/** Cores from a DecimalSI CPU quantity: `250m`, `12345678n`, `1`. */
export function cpuCores(quantity) {
  const m = /^(\d+(?:\.\d+)?)([numk]?)$/.exec(quantity ?? '');
  return m ? Number(m[1]) * SUFFIX[m[2]] : Number.NaN;
}

/**
 * Polls the PodMetrics of app=<app> every intervalMs until stop(); each point holds the time,
 * the metrics' sample timestamp and the mean utilization of `requestCores` over the pods named
 * in `names` (the run's original pods: new pods' first samples are ignored by the HPA anyway).
 */
export function pollUtilization(ctx, { app, names, requestCores, intervalMs }) {
  const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${ctx.namespace}/pods?labelSelector=app%3D${app}`;
  const points = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = nowMs();
      try {
        const { json } = await call(ctx.url, { path, agent: ctx.agent });
        const items = json.items.filter((pm) => names.has(pm.metadata.name));
        const usage = items.map((pm) => cpuCores(pm.containers?.[0]?.usage?.cpu));
        if (usage.length > 0) {
          const mean = usage.reduce((a, b) => a + b, 0) / usage.length;
          const timestamp = items[0].timestamp;
          points.push({ t: started, timestamp, utilization: (100 * mean) / requestCores });
        }
      } catch {
        // A failed poll leaves a gap; the next one fills it.
      }
      await sleep(Math.max(0, intervalMs - (nowMs() - started)));
    }
  })();
  return {
    points,
    stop: async () => {
      running = false;
      await loop;
      return points;
    },
  };
}

/** The first poll at or after `from` whose utilization satisfies `test`, or undefined. */
export function firstPoint(points, from, test) {
  return points.find((p) => p.t >= from && test(p.utilization));
}
