// Steps 2 and 3 of the demo: register the image, apply the Deployment, Service and Ingress of
// examples/hello-flask, wait for both pods, then show requests through the Ingress alternating.
import { join, relative } from 'node:path';
import { image } from '../image.js';
import type { Output } from '../output.js';
import { APP, IMAGE, SELECTOR } from './context.js';
import type { DemoContext } from './context.js';
import { HELLO_FLASK_DIR } from './paths.js';
import { parsePodList, readyPods } from './pods.js';
import { probe } from './traffic.js';
import { formatDuration } from './narrator.js';
import { RequestTally } from './tally.js';
import { DemoTimeoutError, sleep, waitUntil } from './wait.js';

/** A path as the user would type it: relative to the current directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

const manifest = (file: string): string => join(HELLO_FLASK_DIR, file);

async function registerImage(ctx: DemoContext): Promise<void> {
  const app = manifest('app.py');
  ctx.narrator.say(
    'kubeproc runs pods as processes on this machine, not containers: an image name is registered',
  );
  ctx.narrator.say('as a local command once (the tutorials build and push an image instead).');
  const lines: string[] = [];
  const capture: Output = { print: (l) => lines.push(l), error: (l) => lines.push(l) };
  const args = ['add', IMAGE, '--entrypoint', 'python3', '--', app];
  const code = await image(
    [...args.slice(0, 2), '--kubeconfig', ctx.ws.kubeconfig, ...args.slice(2)],
    capture,
  );
  ctx.narrator.command(
    `kubeproc image add ${IMAGE} --entrypoint python3 -- ${app}`,
    lines.join('\n'),
  );
  if (code !== 0) {
    throw new Error('registering the image failed');
  }
}

async function waitForReadyPods(ctx: DemoContext, count: number): Promise<string[]> {
  return waitUntil({
    what: `${count} ready pods of ${APP}`,
    timeoutMs: 120_000,
    signal: ctx.signal,
    check: async () => {
      const pods = parsePodList(
        await ctx.kubectl.ok(['get', 'pods', '-l', SELECTOR, '-o', 'json']),
      );
      const ready = readyPods(pods).map((p) => p.name);
      return ready.length >= count ? ready.sort() : undefined;
    },
    onPoll: (ms) =>
      ctx.narrator.progress(`waiting for ${count} pods to be Ready (${formatDuration(ms)})`),
  });
}

/** Step 2: the app, its Service and Ingress, both pods Ready. */
export async function deployStep(ctx: DemoContext): Promise<void> {
  const { narrator, kubectl } = ctx;
  await registerImage(ctx);
  narrator.say('');
  narrator.say(
    "The tutorials' Deployment (2 replicas, CPU requests, liveness and readiness probes),",
  );
  narrator.say('Service (port 5000) and Ingress (class nginx, served by kubeproc itself):');
  const files = ['deployment.yaml', 'service.yaml', 'ingress.yaml'].map(manifest);
  await kubectl.show(narrator, ['apply', ...files.flatMap((f) => ['-f', displayPath(f)])]);
  ctx.report.pods = await waitForReadyPods(ctx, 2);
  narrator.endProgress();
  await kubectl.show(narrator, ['get', 'pods', '-o', 'wide']);
  await kubectl.show(narrator, ['get', 'service,ingress,endpoints', APP]);
  if (ctx.isIsolatedNetwork) {
    narrator.say(
      'Isolated network mode: each pod has its own IP, hostname and network namespace; both',
    );
    narrator.say('apps listen on port 5000, and the Endpoints above list <pod IP>:5000.');
    return;
  }
  narrator.say(
    "Host network mode (no pod sandboxes on this machine): each pod's containerPort 5000 is a",
  );
  narrator.say(
    'free port on 127.0.0.1 given to the app as $PORT; the Endpoints above list those ports.',
  );
}

/** Waits until the Ingress routes to the app (its first sync takes a moment); not counted. */
async function waitForIngress(ctx: DemoContext): Promise<void> {
  const scratch = new RequestTally();
  let last = '';
  try {
    await waitUntil({
      what: `the Ingress at ${ctx.ingressUrl} to answer from ${APP}`,
      timeoutMs: 30_000,
      signal: ctx.signal,
      check: async () => {
        const outcome = await probe(`${ctx.ingressUrl}/`, false, scratch);
        last = outcome.error ?? '';
        return outcome.pod;
      },
    });
  } catch (e) {
    if (e instanceof DemoTimeoutError) {
      throw new DemoTimeoutError(`${e.message} (last answer: ${last})`);
    }
    throw e;
  }
}

/** Step 3: the tutorials' curl loop, answers alternating between the two pods. */
export async function alternateStep(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  await waitForIngress(ctx);
  narrator.say(
    `Requests through the Ingress (the tutorials' "while true; do curl ${ctx.ingressUrl}; sleep 1; done"):`,
  );
  const seen = new Set<string>();
  for (let i = 0; i < 12 && (i < 6 || seen.size < 2); i++) {
    const outcome = await probe(`${ctx.ingressUrl}/`, false, ctx.tally);
    const pod = outcome.pod;
    narrator.command(
      `curl ${ctx.ingressUrl}`,
      pod !== undefined ? `Hello, Kubernetes! from Pod: ${pod}` : `failed: ${outcome.error}`,
    );
    if (pod !== undefined) {
      seen.add(pod);
    }
    await sleep(300, ctx.signal);
  }
  if (seen.size === 0) {
    throw new Error(`no request through the Ingress succeeded (${ctx.tally.errors(1).join('')})`);
  }
  narrator.say(
    seen.size >= 2
      ? 'The Service balances round-robin: the two pods take turns.'
      : `Only ${[...seen].join(', ')} answered: the other pod was not in the rotation.`,
  );
  ctx.trickle.start(200);
  narrator.say(
    'From now on a request goes through the Ingress every 200 ms, and every one is counted.',
  );
}
