// `kubeproc demo`: the tutorials' story (deploy, self-healing, autoscaling) run end to end on a
// temporary kubeproc of its own, narrated, with the real kubectl; removes everything at the end.
import type { ChildProcess } from 'node:child_process';
import type { Output } from './output.js';
import { stdio } from './output.js';
import type { DemoContext } from './demo/context.js';
import { createWorkspace, killNow, launch, logTail, teardown } from './demo/instance.js';
import type { Workspace } from './demo/instance.js';
import { Kubectl } from './demo/kubectl.js';
import { formatDuration, Narrator } from './demo/narrator.js';
import type { Terminal } from './demo/narrator.js';
import { DEMO_USAGE, parseDemoArgs } from './demo/options.js';
import type { DemoOptions } from './demo/options.js';
import { EnterReader } from './demo/enter.js';
import { preflight } from './demo/preflight.js';
import { alternateStep, deployStep } from './demo/step-deploy.js';
import { healStep } from './demo/step-heal.js';
import { autoscaleStep, loadStep, scaleDownStep } from './demo/step-scale.js';
import { summaryLines } from './demo/summary.js';
import { RequestTally } from './demo/tally.js';
import { Trickle } from './demo/traffic.js';
import { DemoInterrupted, DemoTimeoutError } from './demo/wait.js';

const STEPS: { title: string; run: (ctx: DemoContext) => Promise<void> }[] = [
  { title: 'Deploy hello-world-flask: 2 replicas, a Service and an Ingress', run: deployStep },
  { title: 'Requests through the Ingress alternate between the pods', run: alternateStep },
  { title: 'Self-healing: python3 dies in one pod', run: healStep },
  { title: 'Autoscaling: a HorizontalPodAutoscaler, 2 to 10 pods at 50% CPU', run: autoscaleStep },
  { title: 'Load: the HPA adds pods', run: loadStep },
  { title: 'Load stops: the HPA removes pods', run: scaleDownStep },
];

/** stdout as a Terminal; any other Output gets whole lines and no in-place progress. */
function terminalFor(out: Output): Terminal {
  if (out === stdio) {
    return { write: (t) => process.stdout.write(t), isTTY: process.stdout.isTTY === true };
  }
  let pending = '';
  return {
    isTTY: false,
    write: (t) => {
      const lines = (pending + t).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach((l) => out.print(l));
    },
  };
}

interface Run {
  opts: DemoOptions;
  narrator: Narrator;
  ws: Workspace;
  signal: AbortSignal;
  tally: RequestTally;
  hasKillall: boolean;
  enter: EnterReader;
  /** kubeproc's process, from the moment it is spawned. */
  child?: ChildProcess;
  ctx?: DemoContext;
}

async function startInstance(run: Run): Promise<DemoContext> {
  const { narrator, ws, opts } = run;
  narrator.step(1, STEPS.length + 1, 'Start a temporary kubeproc');
  narrator.say(
    `Its own data dir, kubeconfig and free ports (in ${ws.dir}), second-long HPA periods:`,
  );
  const port = opts.ingressHttpPort;
  const instance = await launch(ws, {
    ...(port !== undefined ? { ingressHttpPort: port } : {}),
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    onSpawn: (child) => (run.child = child),
  });
  if (run.signal.aborted) {
    throw new DemoInterrupted('interrupted');
  }
  const shown = instance.output().replace(/Press Ctrl-C to stop\.\s*$/, '');
  narrator.command(`kubeproc ${instance.args.join(' ')}`, shown);
  const ingressUrl = instance.summary.ingressUrl;
  if (ingressUrl === undefined) {
    throw new Error('kubeproc started without an ingress');
  }
  const ctx: DemoContext = {
    narrator,
    kubectl: new Kubectl({ kubeconfig: ws.kubeconfig, cacheDir: ws.cacheDir }),
    signal: run.signal,
    ingressUrl,
    ws,
    tally: run.tally,
    trickle: new Trickle(`${ingressUrl}/`, run.tally),
    killMethod: instance.summary.hasPidNamespaces && run.hasKillall ? 'killall' : 'signal',
    isIsolatedNetwork: instance.summary.hasIsolatedNetwork,
    concurrency: opts.concurrency,
    report: { pods: [], replicaHistory: [] },
    pause: async () => {
      if (opts.isStepwise) {
        narrator.say('(press Enter to continue, Ctrl-C to stop)');
        await run.enter.next(run.signal);
      }
    },
  };
  run.ctx = ctx;
  return ctx;
}

async function story(run: Run, startedMs: number): Promise<void> {
  const ctx = await startInstance(run);
  for (const [i, step] of STEPS.entries()) {
    await ctx.pause();
    ctx.narrator.step(i + 2, STEPS.length + 1, step.title);
    await step.run(ctx);
  }
  await ctx.trickle.stop();
  ctx.narrator.heading('Summary');
  for (const line of summaryLines(ctx.report, run.tally, Date.now() - startedMs)) {
    ctx.narrator.say(line);
  }
}

/** Says what went wrong and shows the state it was in; returns the exit code. */
async function failure(run: Run, e: unknown): Promise<number> {
  const { narrator, ctx } = run;
  narrator.endProgress();
  if (e instanceof DemoInterrupted || run.signal.aborted) {
    narrator.say('Interrupted.');
    return 130;
  }
  narrator.say(`The demo failed: ${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof DemoTimeoutError) {
    narrator.say('(a busy machine can be this slow: try again, or read the state and log below)');
  }
  if (ctx) {
    const r = await ctx.kubectl.run(['get', 'pods,hpa', '-o', 'wide'], 15_000);
    narrator.command('kubectl get pods,hpa -o wide', `${r.stdout}${r.stderr}`);
    narrator.say("The end of kubeproc's log:");
    narrator.output(logTail(run.ws, 12));
  }
  return 1;
}

async function cleanup(run: Run, startedMs: number): Promise<void> {
  const { narrator, ws } = run;
  run.enter.close();
  await run.ctx?.trickle.stop();
  narrator.say('');
  narrator.say(`Cleaning up: stopping kubeproc, ending its pods' processes, removing ${ws.dir}`);
  await teardown(ws, run.child);
  const took = formatDuration(Date.now() - startedMs);
  narrator.say(
    `Done: kubeproc stopped, its pods' processes ended, temp dir removed (took ${took}).`,
  );
}

/** Runs `kubeproc demo`; resolves with the exit code (0 when the story completed). */
export async function demo(args: string[], out: Output): Promise<number> {
  const opts = parseDemoArgs(args);
  if (opts.isHelp) {
    out.print(DEMO_USAGE);
    return 0;
  }
  const check = await preflight();
  if (check.problems.length > 0) {
    throw new Error(`cannot run the demo:\n  ${check.problems.join('\n  ')}`);
  }
  const controller = new AbortController();
  const run: Run = {
    opts,
    narrator: new Narrator(terminalFor(out)),
    ws: createWorkspace(),
    signal: controller.signal,
    tally: new RequestTally(),
    hasKillall: check.hasKillall,
    enter: new EnterReader(process.stdin),
  };
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      // A second Ctrl-C: stop waiting for the clean shutdown.
      killNow(run.child);
      process.exit(130);
    }
    controller.abort();
  };
  const onExit = (): void => killNow(run.child);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  const startedMs = Date.now();
  let code = 0;
  try {
    run.narrator.say(
      "kubeproc demo: the tutorials' self-healing and autoscaling, on this machine.",
    );
    await story(run, startedMs);
  } catch (e) {
    code = await failure(run, e);
  } finally {
    await cleanup(run, startedMs);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
  return code;
}
