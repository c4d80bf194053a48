// PodDisruptionBudgets with real processes and the real kubectl: the disruption controller's
// numbers in `kubectl get pdb`, the eviction subresource's 429, `kubectl drain` blocked by a
// budget until it times out, then draining once the budget allows it, and `kubectl uncordon`.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
const TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget.";
let kp: Kubeproc;
let node = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  kp = await startKubeproc();
  await eventually('the node registered', () => nodeName() !== '', 30_000);
  node = nodeName();
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.pid) {
      child.kill('SIGKILL');
    }
  }
  await kp?.stop();
});

function nodeName(): string {
  return kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']).trim();
}

const deployment = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: 'fixture',
            command: ['node', APP],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
});

const budget = JSON.stringify({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web-pdb' },
  spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
});

const jsonpath = (args: string[], path: string): string =>
  kp.kubectlOk(['get', ...args, '-o', `jsonpath=${path}`]).trim();

const readyReplicas = (): string => jsonpath(['deployment', 'web'], '{.status.readyReplicas}');

/** Names of the app's pods that a node runs (bound ones). */
const boundPods = (): string[] =>
  jsonpath(['pods', '-l', 'app=web'], '{range .items[*]}{.metadata.name}={.spec.nodeName};{end}')
    .split(';')
    .filter((entry) => entry && !entry.endsWith('='))
    .map((entry) => entry.split('=')[0] ?? '');

/** Runs kubectl in the background (drain blocks), collecting its output. */
function kubectlAsync(args: string[]): {
  output: () => { stdout: string; stderr: string };
  done: Promise<number>;
} {
  const child = spawn('kubectl', [`--cache-dir=${join(kp.dir, 'cache')}`, ...args], {
    env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { output: () => ({ stdout, stderr }), done };
}

describe('PodDisruptionBudgets, eviction and kubectl drain', () => {
  beforeAll(async () => {
    kp.kubectlOk(['apply', '-f', '-'], deployment);
    kp.kubectlOk(['apply', '-f', '-'], budget);
    await eventually('2 ready replicas', () => readyReplicas() === '2', 60_000);
  });

  it('kubectl get pdb shows the numbers the disruption controller computes', async () => {
    await eventually(
      'the budget to see 2 healthy pods',
      () => jsonpath(['pdb', 'web-pdb'], '{.status.currentHealthy}') === '2',
    );
    const table = kp.kubectlOk(['get', 'pdb']);
    expect(table).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/m);
    expect(table).toMatch(/^web-pdb\s+2\s+N\/A\s+0\s+\d+s$/m);
    const status = JSON.parse(jsonpath(['pdb', 'web-pdb'], '{.status}')) as Record<string, unknown>;
    expect(status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 2,
      expectedPods: 2,
      disruptionsAllowed: 0,
      observedGeneration: 1,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }],
    });
  });

  it('refuses a raw eviction with 429 and the budget in the cause', async () => {
    const [pod] = boundPods();
    const res = await fetch(`${kp.url}/api/v1/namespaces/default/pods/${pod}/eviction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: pod, namespace: 'default' },
      }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      message: TOO_MANY,
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently',
          },
        ],
      },
      code: 429,
    });
  });

  it('kubectl drain cordons the node, then retries the eviction until its timeout', () => {
    const before = boundPods();
    const r = kp.kubectl([
      'drain',
      node,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=20s',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(`node/${node} cordoned`);
    for (const pod of before) {
      expect(r.stdout).toContain(`evicting pod default/${pod}`);
      expect(r.stderr).toContain(
        `error when evicting pods/"${pod}" -n "default" (will retry after 5s): ${TOO_MANY}`,
      );
    }
    expect(r.stderr).toContain('global timeout reached: 20s');
    expect(boundPods().sort()).toEqual(before.sort());
    expect(jsonpath(['node', node], '{.spec.unschedulable}')).toBe('true');
    expect(kp.kubectlOk(['get', 'node', node])).toMatch(/\sReady,SchedulingDisabled\s/);
  });

  it('drains once the budget allows it; replacements wait Pending on the cordoned node', async () => {
    const before = boundPods();
    const drain = kubectlAsync([
      'drain',
      node,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=90s',
    ]);
    await eventually('drain to hit the budget', () => drain.output().stderr.includes(TOO_MANY));
    kp.kubectlOk(['patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    const code = await drain.done;
    const { stdout, stderr } = drain.output();
    expect({ code, stderr }).toMatchObject({ code: 0 });
    for (const pod of before) {
      expect(stdout).toContain(`pod/${pod} evicted`);
    }
    expect(stdout).toContain(`node/${node} drained`);
    expect(boundPods()).toEqual([]);
    await eventually(
      '2 replacement pods, unschedulable',
      () =>
        jsonpath(
          ['pods', '-l', 'app=web'],
          '{range .items[*]}{.status.conditions[?(@.type=="PodScheduled")].reason}{"\\n"}{end}',
        ) === 'Unschedulable\nUnschedulable',
    );
    expect(
      jsonpath(
        ['pods', '-l', 'app=web'],
        '{.items[*].status.conditions[?(@.type=="PodScheduled")].message}',
      ),
    ).toContain('node(s) were unschedulable');
  });

  it('kubectl uncordon lets the replacements run again', async () => {
    expect(kp.kubectlOk(['uncordon', node])).toContain(`node/${node} uncordoned`);
    expect(jsonpath(['node', node], '{.spec.unschedulable}')).toBe('');
    await eventually('2 ready replicas again', () => readyReplicas() === '2', 60_000);
    await eventually(
      'the budget to count them',
      () => jsonpath(['pdb', 'web-pdb'], '{.status.disruptionsAllowed}') === '2',
    );
    expect(kp.kubectlOk(['get', 'pdb', 'web-pdb'])).toMatch(/^web-pdb\s+0\s+N\/A\s+2\s+\d+s$/m);
  });
});
