// Steps 5 to 7 of the demo, autoscaling: apply the HPA, put load on the Ingress until the HPA
// has scaled up (and settled), stop the load and wait until it is back at minReplicas.
import { join } from 'node:path';
import { APP, SELECTOR } from './context.js';
import type { DemoContext } from './context.js';
import type { HpaRow } from './hpa-table.js';
import { HpaWatch } from './hpa-watch.js';
import { formatDuration } from './narrator.js';
import { HELLO_FLASK_DIR } from './paths.js';
import { parsePodList, parseTopCpu } from './pods.js';
import { displayPath } from './step-deploy.js';
import { LoadGenerator } from './traffic.js';
import { DemoTimeoutError, sleep, waitUntil } from './wait.js';

const FIRST_SCALE_UP_TIMEOUT_MS = 90_000;
const MAX_LOAD_MS = 60_000;
/** Load stops once the replica count held this long after a scale-up (or reached the max). */
const SETTLED_MS = 12_000;
const AT_MAX_MS = 3_000;
const ANSWERING_WINDOW_MS = 2_000;
const SCALE_DOWN_TIMEOUT_MS = 120_000;

/**
 * Whether the load step has shown enough: scaled up, and either at the max with every pod taking
 * requests, or settled, or loaded long enough.
 */
export function isLoadDone(opts: {
  initial: number;
  row: HpaRow;
  /** Pods that answered requests in the last seconds. */
  answering: number;
  loadMs: number;
  sinceChangeMs: number;
}): boolean {
  const { row, sinceChangeMs } = opts;
  if (row.replicas <= opts.initial) {
    return false;
  }
  const isFull =
    row.replicas >= row.maxPods && opts.answering >= row.replicas && sinceChangeMs >= AT_MAX_MS;
  return isFull || sinceChangeMs >= SETTLED_MS || opts.loadMs >= MAX_LOAD_MS;
}

async function pollEverySecond<T>(
  ctx: DemoContext,
  fn: (elapsedMs: number) => Promise<T | undefined>,
): Promise<T> {
  const started = Date.now();
  for (let tick = 1; ; tick++) {
    const value = await fn(Date.now() - started);
    if (value !== undefined) {
      return value;
    }
    await sleep(Math.max(0, started + tick * 1000 - Date.now()), ctx.signal);
  }
}

// Below the 50% target (of 100m) with room for the tolerance, so the HPA's first decision is
// to stay: the restart and the faster requests of step 3 leave some CPU use behind.
const IDLE_MILLICORES = 40;

/** Waits (at most 30 s, not fatal) until `kubectl top pods` shows every pod idle; shows it. */
async function settle(ctx: DemoContext): Promise<void> {
  const { narrator, kubectl } = ctx;
  let top = '';
  try {
    await waitUntil({
      what: 'the pods to be idle',
      timeoutMs: 30_000,
      intervalMs: 1000,
      signal: ctx.signal,
      check: async () => {
        top = (await kubectl.run(['top', 'pods'])).stdout;
        const cpu = [...parseTopCpu(top).values()];
        return cpu.length > 0 && cpu.every((m) => m < IDLE_MILLICORES) ? true : undefined;
      },
      onPoll: (ms) =>
        narrator.progress(`waiting for the pods' CPU use to settle (${formatDuration(ms)})`),
    });
  } catch (e) {
    if (!(e instanceof DemoTimeoutError)) {
      throw e;
    }
    narrator.say('(the pods are still busy: the HPA may add a pod before the load starts)');
  }
  narrator.endProgress();
  narrator.command('kubectl top pods', top);
}

/** Step 5: the HPA exists and reports a CPU utilization. */
export async function autoscaleStep(ctx: DemoContext): Promise<void> {
  const { narrator, kubectl } = ctx;
  narrator.say(
    'kubeproc serves metrics.k8s.io itself (no metrics-server to install); this instance samples',
  );
  narrator.say('CPU every second and evaluates HPAs every second (Kubernetes: 15s and 15s).');
  await settle(ctx);
  await kubectl.show(narrator, ['apply', '-f', displayPath(join(HELLO_FLASK_DIR, 'hpa.yaml'))]);
  await waitUntil({
    what: `a CPU utilization in the TARGETS of hpa/${APP}`,
    timeoutMs: 60_000,
    signal: ctx.signal,
    check: async () => {
      const r = await kubectl.run(['get', 'hpa', APP]);
      return /cpu: \d+%\//.test(r.stdout) ? true : undefined;
    },
    onPoll: (ms) => narrator.progress(`waiting for the first CPU metrics (${formatDuration(ms)})`),
  });
  narrator.endProgress();
  await kubectl.show(narrator, ['get', 'hpa']);
}

/** Step 6: load until the HPA scaled up and settled. */
export async function loadStep(ctx: DemoContext): Promise<void> {
  const { narrator, tally } = ctx;
  const url = `${ctx.ingressUrl}/`;
  narrator.say(
    `Load: ${ctx.concurrency} requests at a time through the Ingress, as "ab -c ${ctx.concurrency} -t 60 ${url}";`,
  );
  narrator.say(
    'each costs the app about 20 ms of CPU, against a request of 100m and a target of 50%.',
  );
  const watch = new HpaWatch(ctx);
  const load = new LoadGenerator(url, tally, ctx.concurrency);
  const sentBefore = tally.sent;
  const failedBefore = tally.failed;
  const initial = (await watch.poll())?.replicas ?? 2;
  load.start();
  const started = Date.now();
  let lastChange = { replicas: initial, atMs: started };
  try {
    await pollEverySecond(ctx, async (loadMs) => {
      const row = await watch.poll();
      if (!row) {
        return undefined;
      }
      if (row.replicas !== lastChange.replicas) {
        lastChange = { replicas: row.replicas, atMs: Date.now() };
      }
      const sent = tally.sent - sentBefore;
      const answering = tally.window(Date.now() - ANSWERING_WINDOW_MS, Infinity).pods.size;
      const rate = Math.round(sent / Math.max(loadMs / 1000, 1));
      narrator.progress(
        `load: ${sent} requests (${rate}/s), ${tally.failed - failedBefore} failed, ${answering} pods answering; ${row.targets}; ${row.replicas} replicas; ${formatDuration(loadMs)}`,
      );
      if (row.replicas <= initial && loadMs > FIRST_SCALE_UP_TIMEOUT_MS) {
        throw new DemoTimeoutError(
          `timed out after ${FIRST_SCALE_UP_TIMEOUT_MS / 1000}s of load waiting for hpa/${APP} to scale up (TARGETS ${row.targets})`,
        );
      }
      const sinceChangeMs = Date.now() - lastChange.atMs;
      return isLoadDone({ initial, row, answering, loadMs, sinceChangeMs }) ? row : undefined;
    });
    narrator.endProgress();
    await ctx.kubectl.show(narrator, ['top', 'pods']);
  } finally {
    await load.stop();
  }
  ctx.report.loadMs = Date.now() - started;
  ctx.report.loadRequests = tally.sent - sentBefore;
  narrator.say(
    `Load stopped after ${formatDuration(ctx.report.loadMs)}: ${ctx.report.loadRequests} requests, ${tally.failed - failedBefore} failed.`,
  );
}

/** Step 7: without load the HPA scales back to minReplicas after its stabilization window. */
export async function scaleDownStep(ctx: DemoContext): Promise<void> {
  const { narrator, kubectl } = ctx;
  narrator.say('CPU use falls at once; the HPA scales down only after its downscale stabilization');
  narrator.say('window (10s here, 5m by default) has seen nothing but low recommendations.');
  const watch = new HpaWatch(ctx);
  const started = Date.now();
  const done = await waitUntil({
    what: `hpa/${APP} to scale back down to its minimum`,
    timeoutMs: SCALE_DOWN_TIMEOUT_MS,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const row = await watch.poll();
      if (row) {
        narrator.progress(`${row.targets}; ${row.replicas} replicas`);
      }
      return row && row.replicas <= row.minPods ? row : undefined;
    },
  });
  ctx.report.scaleDownMs = Date.now() - started;
  narrator.endProgress();
  await waitUntil({
    what: `the extra pods of ${APP} to be gone`,
    timeoutMs: 60_000,
    signal: ctx.signal,
    check: async () => {
      const pods = parsePodList(await kubectl.ok(['get', 'pods', '-l', SELECTOR, '-o', 'json']));
      return pods.length <= done.replicas ? true : undefined;
    },
    onPoll: () => narrator.progress('waiting for the removed pods to stop'),
  });
  narrator.endProgress();
  await kubectl.show(narrator, ['get', 'pods']);
  const describe = await kubectl.ok(['describe', 'hpa', APP]);
  const events = describe.slice(Math.max(0, describe.indexOf('Events:')));
  narrator.command(`kubectl describe hpa ${APP}    # its Events`, events);
}
