// Responsiveness of the API while controllers work: GET /version every few ms on its own
// connection. kubeproc runs its controllers on the API's event loop, so a long synchronous
// burst of controller work shows up here as a slow answer.
import http from 'node:http';
import { sleep } from '../api/processes.js';
import { nowMs, summarize } from '../api/stats.js';
import { call } from './client.js';

/** Starts probing url; window() opens a measurement window whose end() summarizes it. */
export function startApiProbe(url, intervalMs = 20) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples = [];
  let running = true;
  let paused = false;
  const loop = (async () => {
    while (running) {
      if (paused) {
        await sleep(intervalMs);
        continue;
      }
      const t = nowMs();
      try {
        await call(url, { path: '/version', agent });
        samples.push(nowMs() - t);
      } catch {
        samples.push(Number.NaN);
      }
      await sleep(intervalMs);
    }
  })();
  return {
    window() {
      const from = samples.length;
      return {
        end() {
          const got = samples.slice(from);
          const failed = got.filter((v) => Number.isNaN(v)).length;
          const { n, p50Ms, p99Ms, maxMs } = summarize(got.filter((v) => !Number.isNaN(v)));
          return { probes: n, failed, p50Ms, p99Ms, maxMs };
        },
      };
    },
    /** Stops sending while fn runs (so an idle measurement sees no probe traffic). */
    async paused(fn) {
      paused = true;
      try {
        return await fn();
      } finally {
        paused = false;
      }
    },
    async stop() {
      running = false;
      await loop;
      agent.destroy();
    },
  };
}
