// kubeproc's ingress served by forked worker processes (--ingress-workers 2): they are kubeproc's
// children, reach both pods, follow Ingress changes, lose no request when a pod is killed under
// steady load, count their traffic in /metrics, a worker killed with SIGKILL is replaced while
// the other serves, and none outlives kubeproc: not a SIGTERM stop, not a SIGKILL.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { LoadGenerator } from './proxy-load.js';

const APP = join(FIXTURES, 'app/app.mjs');
const MARKER = '--kubeproc-ingress-worker';
const RATE = 200;

let kp: Kubeproc;
let isStopped = false;
let ingressUrl = '';

/** The ingress workers of the kubeproc with this pid (its children carrying the marker). */
function workerPids(pid: number): number[] {
  try {
    const out = execFileSync('pgrep', ['-P', String(pid), '-f', '--', MARKER], {
      encoding: 'utf8',
    });
    return out.split('\n').filter(Boolean).map(Number).sort();
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** pid itself, never 0 or below: process.kill(0) would signal this test's own process group. */
function one(pid: number | undefined): number {
  if (pid === undefined || pid <= 0) {
    throw new Error(`not a process id: ${pid}`);
  }
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(one(pid), 0);
    return true;
  } catch {
    return false;
  }
}

/** One GET on a fresh connection: status and body ('' and 0 on a connection error). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

interface PodBody {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: { containerStatuses?: { ready?: boolean; restartCount?: number }[] };
}

/** The app's pods that are ready and not being deleted, read from the API. */
async function readyPods(): Promise<PodBody[]> {
  const res = await fetch(`${kp.url}/api/v1/namespaces/default/pods?labelSelector=app%3Dwk`);
  const list = (await res.json()) as { items: PodBody[] };
  return list.items.filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.containerStatuses?.[0]?.ready === true,
  );
}

/** The app process of a pod (not its PID-namespace init), from the node's state file. */
function appPid(pod: PodBody): number {
  const restarts = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
  const file = join(kp.dir, 'data/pods', pod.metadata.uid, 'app', `${restarts}.state.json`);
  const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; appPid?: number };
  return state.appPid ?? state.pid;
}

function served(): number {
  const text = kp.kubectlOk(['get', '--raw', '/metrics']);
  const m =
    /kubeproc_proxy_requests_total\{namespace="default",service="wk",pod="",code="2xx"\} (\d+)/.exec(
      text,
    );
  return Number(m?.[1] ?? 0);
}

const manifests = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wk' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'wk' } },
        template: {
          metadata: { labels: { app: 'wk' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'fixture',
                command: ['node', APP],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                ports: [{ name: 'http', containerPort: 5000 }],
                readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'wk' },
      spec: { selector: { app: 'wk' }, ports: [{ port: 5000, targetPort: 'http' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'wk' },
      spec: {
        defaultBackend: { service: { name: 'wk', port: { number: 5000 } } },
      },
    },
  ],
});

/** Free ClusterIPs of our own, so other kubeprocs on this machine do not collide. */
const cidr = () =>
  `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`;

beforeAll(async () => {
  kp = await startKubeproc([
    '--ingress-http-port',
    '0',
    '--ingress-workers',
    '2',
    '--service-cidr',
    cidr(),
    '--crashloop-initial-backoff',
    '1s',
    '--crashloop-max-backoff',
    '2s',
  ]);
  kp.kubectlOk(['apply', '-f', '-'], manifests);
}, 90_000);

afterAll(async () => {
  if (!isStopped) {
    await kp?.stop();
  }
});

describe('ingress workers', () => {
  it('serve through two child processes and count their traffic in /metrics', async () => {
    await eventually('2 ingress workers', () => workerPids(one(kp.child.pid)).length === 2);
    await eventually('the ingress port in status', () => {
      const port = kp.kubectl([
        'get',
        'ingress',
        'wk',
        '-o',
        'jsonpath={.status.loadBalancer.ingress[0].ports[0].port}',
      ]).stdout;
      ingressUrl = port ? `http://127.0.0.1:${port}/` : '';
      return ingressUrl !== '';
    });
    await eventually(
      'both pods answer via the ingress',
      async () => {
        const bodies = await Promise.all([1, 2, 3, 4].map(() => get(ingressUrl)));
        return new Set(bodies.map((b) => b.body)).size === 2;
      },
      60_000,
    );
    const before = served();
    const replies = [];
    for (let i = 0; i < 40; i++) {
      replies.push(await get(ingressUrl));
    }
    expect(replies.filter((r) => r.status === 200)).toHaveLength(40);
    // Workers report every second.
    await eventually('40 more requests in /metrics', () => served() >= before + 40);
  }, 90_000);

  it('see an Ingress change', async () => {
    const path = `${ingressUrl}elsewhere`;
    // The app answers paths it does not know itself: 404 'not found'.
    expect(await get(path)).toEqual({ status: 404, body: 'not found' });
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'wk-elsewhere' },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/elsewhere',
                  pathType: 'Prefix',
                  backend: { service: { name: 'nope', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    };
    kp.kubectlOk(['apply', '-f', '-'], JSON.stringify(ingress));
    // Every connection is fresh, so both workers answer over these tries.
    await eventually('the new rule on both workers', async () => {
      const replies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => get(path)));
      return replies.every((r) => r.status === 503 && r.body.includes('default/nope'));
    });
    kp.kubectlOk(['delete', 'ingress', 'wk-elsewhere']);
    await eventually('the rule gone', async () => {
      const replies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => get(path)));
      return replies.every((r) => r.status === 404 && r.body === 'not found');
    });
  }, 60_000);

  it('lose no request while a pod process is killed with SIGKILL', async () => {
    const load = new LoadGenerator(ingressUrl, RATE);
    const running = load.runFor(12_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const [victim] = await readyPods();
    process.kill(appPid(victim as PodBody), 'SIGKILL');
    const killedAtMs = load.elapsedMs();
    await running;
    await eventually('2 ready pods again', async () => (await readyPods()).length === 2, 30_000);
    expect(load.failures).toEqual([]);
    expect(load.sent).toBeGreaterThan(RATE * 12 * 0.9);
    expect(load.podsSince(killedAtMs).size).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('replace a worker killed with SIGKILL while the other one serves', async () => {
    const pid = one(kp.child.pid);
    const [victim, survivor] = workerPids(pid).map(one);
    process.kill(one(victim), 'SIGKILL');
    await eventually('the killed worker gone', () => !isAlive(one(victim)));
    const meanwhile = [];
    for (let i = 0; i < 20; i++) {
      meanwhile.push((await get(ingressUrl)).status);
    }
    expect(meanwhile.filter((s) => s === 200)).toHaveLength(20);
    await eventually('a replacement worker', () => {
      const now = workerPids(pid);
      return now.length === 2 && now.includes(one(survivor)) && !now.includes(one(victim));
    });
    const after = await Promise.all(Array.from({ length: 20 }, () => get(ingressUrl)));
    expect(after.filter((r) => r.status === 200)).toHaveLength(20);
  }, 60_000);

  it('stop with kubeproc on SIGTERM', async () => {
    const workers = workerPids(one(kp.child.pid));
    expect(workers).toHaveLength(2);
    isStopped = true;
    await kp.stop();
    expect(workers.filter(isAlive)).toEqual([]);
  }, 30_000);

  it('exit when kubeproc is killed with SIGKILL', async () => {
    const other = await startKubeproc([
      '--ingress-http-port',
      '0',
      '--ingress-workers',
      '2',
      '--no-node',
      '--service-cidr',
      cidr(),
    ]);
    const pid = one(other.child.pid);
    try {
      await eventually('2 ingress workers', () => workerPids(pid).length === 2);
      const workers = workerPids(pid);
      const exited = new Promise((r) => other.child.once('exit', r));
      process.kill(pid, 'SIGKILL');
      await exited;
      await eventually(
        'the workers gone after kubeproc',
        () => workers.every((w) => !isAlive(w)),
        5_000,
      );
    } finally {
      // Nothing is left in its process group for the harness to signal, so it throws (ESRCH)
      // before removing the temp dir (--no-node: there are no pods to reap).
      await other.stop().catch(() => rmSync(other.dir, { recursive: true, force: true }));
    }
  }, 60_000);
});
