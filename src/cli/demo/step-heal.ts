// Step 4 of the demo, self-healing: python3 dies in one pod while requests keep flowing; the
// demo prints a line per second (who answered, failures) until the pod has restarted, is Ready
// again and answers through the Ingress, then shows RESTARTS 1 in `kubectl get pods`.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readContainerState } from '../../node/runtime/container-state.js';
import { APP, SELECTOR } from './context.js';
import type { DemoContext } from './context.js';
import { formatDuration } from './narrator.js';
import { parsePodList } from './pods.js';
import type { PodFacts } from './pods.js';
import { formatWindow, podSuffix } from './tally.js';
import { DemoTimeoutError, sleep } from './wait.js';

const HEAL_TIMEOUT_MS = 90_000;
// The other pod keeps answering: a longer silence means the data plane is broken, not healing.
const OUTAGE_LIMIT_S = 15;

/** Host pid of the pod's app process, from the state file the node agent keeps per container. */
async function appPid(dataDir: string, uid: string): Promise<number> {
  const podDir = join(dataDir, 'pods', uid, APP);
  const files = (await readdir(podDir)).filter((f) => f.endsWith('.state.json')).sort();
  const latest = files.at(-1);
  if (latest === undefined) {
    throw new Error(`no container state for ${APP} in ${podDir}`);
  }
  const state = await readContainerState(join(podDir, latest));
  return state.appPid ?? state.pid;
}

async function kill(ctx: DemoContext, pod: PodFacts): Promise<void> {
  if (ctx.killMethod === 'killall') {
    ctx.narrator.say(
      "Each pod has its own PID namespace, so killall inside it sees only that pod's python3:",
    );
    const args = ['exec', pod.name, '--', 'killall', 'python3'];
    const r = await ctx.kubectl.run(args);
    ctx.narrator.command(`kubectl ${args.join(' ')}`, `${r.stdout}${r.stderr}`);
    // python3 ending ends its container, and with it whatever still runs in its PID namespace:
    // killall itself when it is slower to exit (as on Kubernetes, where exec then ends with 137).
    if (r.code !== 0 && !isKilledWithContainer(r.stderr)) {
      throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code})`);
    }
    return;
  }
  ctx.narrator.say(
    "Pods share this machine's process space here (PID namespaces need root on Linux), so",
  );
  ctx.narrator.say(
    '"killall python3" would end every python3; the demo kills this pod\'s python3 only:',
  );
  const pid = await appPid(ctx.ws.dataDir, pod.uid);
  ctx.narrator.command(`kill -9 ${pid}    # ${pod.name}'s python3`);
  process.kill(pid, 'SIGKILL');
}

/** kubectl's words for an exec whose process was killed (kubeproc's error, or exit 137). */
export function isKilledWithContainer(stderr: string): boolean {
  return /signal: killed|command terminated with exit code 137/.test(stderr);
}

async function podNamed(ctx: DemoContext, name: string): Promise<PodFacts | undefined> {
  const pods = parsePodList(await ctx.kubectl.ok(['get', 'pods', '-l', SELECTOR, '-o', 'json']));
  return pods.find((p) => p.name === name);
}

export interface HealState {
  restartsBefore: number;
  sawDown: boolean;
  readyAtMs?: number;
}

/** What changed about the killed pod in the last second, as a note for the traffic line. */
export function healNote(state: HealState, pod: PodFacts | undefined, nowMs: number): string {
  if (!pod) {
    return '';
  }
  const notes: string[] = [];
  if (!state.sawDown && (!pod.isReady || pod.restarts > state.restartsBefore)) {
    state.sawDown = true;
    notes.push(`${podSuffix(pod.name)} restarted (RESTARTS ${pod.restarts})`);
    if (!pod.isReady) {
      notes.push('not ready');
    }
  }
  if (pod.isReady && state.sawDown && state.readyAtMs === undefined) {
    state.readyAtMs = nowMs;
    notes.push(notes.length === 0 ? `${podSuffix(pod.name)} ready again` : 'ready again');
  }
  return notes.length === 0 ? '' : `<- ${notes.join(', ')}`;
}

/** Prints a line per second until the killed pod answers again; returns when it did. */
async function watchHeal(ctx: DemoContext, victim: PodFacts, killedAt: number): Promise<number> {
  const { narrator, tally } = ctx;
  const state: HealState = { restartsBefore: victim.restarts, sawDown: false };
  for (let second = 1; ; second++) {
    await sleep(Math.max(0, killedAt + second * 1000 - Date.now()), ctx.signal);
    const note = healNote(state, await podNamed(ctx, victim.name), Date.now());
    const window = tally.window(killedAt + (second - 1) * 1000, killedAt + second * 1000);
    narrator.output(`+${String(second).padEnd(3)} ${formatWindow(window)}  ${note}`.trimEnd());
    if (state.readyAtMs !== undefined && tally.answersFrom(victim.name, state.readyAtMs) >= 2) {
      return Date.now() - killedAt;
    }
    const recent = tally.window(Date.now() - OUTAGE_LIMIT_S * 1000, Infinity);
    if (second >= OUTAGE_LIMIT_S && recent.ok === 0) {
      const error = tally.errors(1).join('');
      throw new Error(`no request through the Ingress succeeded for ${OUTAGE_LIMIT_S}s (${error})`);
    }
    if (Date.now() - killedAt > HEAL_TIMEOUT_MS) {
      throw new DemoTimeoutError(
        `timed out after ${HEAL_TIMEOUT_MS / 1000}s waiting for ${victim.name} to restart and answer again`,
      );
    }
  }
}

/** Step 4: kill python3 in one pod; traffic moves, the pod restarts and rejoins. */
export async function healStep(ctx: DemoContext): Promise<void> {
  const { narrator, tally } = ctx;
  const pods = parsePodList(await ctx.kubectl.ok(['get', 'pods', '-l', SELECTOR, '-o', 'json']));
  const victim = pods.filter((p) => p.isReady).sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!victim) {
    throw new Error('no ready pod to kill');
  }
  ctx.report.killedPod = victim.name;
  narrator.say(
    `A request goes through the Ingress every 200 ms; now python3 in ${victim.name} dies`,
  );
  narrator.say(`(the tutorials: kubectl exec -it ${victim.name} -- bash -c "killall python3").`);
  await kill(ctx, victim);
  const killedAt = Date.now();
  const failedBefore = tally.failed;
  const sentBefore = tally.sent;
  narrator.say('Requests per second since then (pods by the last part of their names):');
  ctx.report.rejoinedAfterMs = await watchHeal(ctx, victim, killedAt);
  const after = formatDuration(ctx.report.rejoinedAfterMs);
  narrator.say(`${victim.name} answers again ${after} after the kill:`);
  await ctx.kubectl.show(narrator, ['get', 'pods']);
  ctx.report.restarts = (await podNamed(ctx, victim.name))?.restarts ?? 0;
  narrator.say(
    `RESTARTS ${ctx.report.restarts}: the node agent restarted the container. While it was down the pod was not`,
  );
  narrator.say(
    'Ready, so the Service sent nothing to it; its readiness probe passing put it back.',
  );
  narrator.say(
    `Requests during the kill and restart: ${tally.sent - sentBefore}, failed: ${tally.failed - failedBefore}.`,
  );
  // Five requests a second cost the pods about 150m of CPU: enough to hold the HPA above its
  // minimum later. Two a second still show any failure.
  ctx.trickle.start(500);
  narrator.say('The steady requests go on at two a second until the end.');
}
