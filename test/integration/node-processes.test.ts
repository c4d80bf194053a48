// Pods as process sandboxes with the real kubectl: exec runs in the pod's PID namespace (so the
// seeds' `killall` stays inside one pod) and passes exit codes back; a kill -9 of kubeproc
// leaves the apps running, and the restarted kubeproc adopts them without restarting them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { reapPods } from '../../src/node/kubelet/reap.js';
import { detectSandbox } from '../../src/node/sandbox/detect.js';
import { eventually, FIXTURES } from './harness.js';
import { launchKubeproc, tempDir, type Launched } from './processes.js';

const APP = join(FIXTURES, 'app/app.mjs');
const dir = tempDir('kubeproc-nodeproc-');
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'kubeconfig');
let kp: Launched | undefined;

afterAll(async () => {
  await kp?.stop();
  await reapPods(dataDir);
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  kp = await launchKubeproc({ dataDir, kubeconfig, home: dir });
}

function kubectl(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function ok(args: string[]): string {
  const r = kubectl(args);
  if (r.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

function pods(): string[] {
  return ok(['get', 'pods', '-l', 'app=hello', '-o', 'jsonpath={.items[*].metadata.name}'])
    .split(' ')
    .filter(Boolean);
}

const sandbox = await detectSandbox();

describe.runIf(sandbox.pidNamespaces)('pods in their own PID namespaces', () => {
  it('runs two replicas that become ready', async () => {
    await start();
    ok([
      'create',
      'deployment',
      'hello',
      '--image=hello',
      '--replicas=2',
      '--port=8080',
      '--',
      'node',
      APP,
    ]);
    await eventually(
      '2 ready pods',
      () => ok(['get', 'deployment', 'hello', '-o', 'jsonpath={.status.readyReplicas}']) === '2',
      60_000,
    );
  });

  it('exec sees only the pod in ps and returns the exit code', () => {
    const [pod] = pods();
    const ps = ok(['exec', pod ?? '', '--', 'ps', '-eo', 'pid,args']);
    const lines = ps.trim().split('\n').slice(1);
    expect(lines.some((l) => l.includes(APP))).toBe(true);
    // The namespace's init, the app and ps itself: nothing of the host or of the other pod.
    expect(lines.length).toBeLessThanOrEqual(4);
    const r = kubectl(['exec', pod ?? '', '--', 'sh', '-c', 'echo out; exit 7']);
    expect(r.stdout).toBe('out\n');
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('command terminated with exit code 7');
  });

  it("killall inside one pod restarts that pod only (the seeds' self-heal)", async () => {
    const [victim, other] = pods();
    kubectl(['exec', victim ?? '', '--', 'killall', 'node']);
    const restarts = (pod: string): string =>
      ok(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
    await eventually('victim restarted', () => restarts(victim ?? '') === '1', 20_000);
    expect(restarts(other ?? '')).toBe('0');
  });

  it('keeps the apps running across kill -9 of kubeproc and adopts them', async () => {
    const before = ok([
      'get',
      'pods',
      '-l',
      'app=hello',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.running.startedAt}{"\\n"}{end}',
    ]);
    await kp?.kill9();
    await start();
    await eventually(
      'the node Ready again',
      () => / Ready /.test(kubectl(['get', 'nodes', '--no-headers']).stdout),
      30_000,
    );
    // Give the agent time to have restarted anything it did not adopt (it must not).
    await new Promise((r) => setTimeout(r, 3000));
    const after = ok([
      'get',
      'pods',
      '-l',
      'app=hello',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.running.startedAt}{"\\n"}{end}',
    ]);
    expect(after).toBe(before);
    expect(ok(['get', 'deployment', 'hello', '-o', 'jsonpath={.status.readyReplicas}'])).toBe('2');
    const [pod] = pods();
    expect(kubectl(['exec', pod ?? '', '--', 'true']).code).toBe(0);
    ok(['delete', 'deployment', 'hello']);
    await eventually('pods gone', () => pods().length === 0, 30_000);
  });
});
