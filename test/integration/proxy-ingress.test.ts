// The seed's self-heal demo made strict, through kubeproc's ingress: 2 replicas of the fixture app
// behind an Ingress (class nginx, as tutorials write it), a client at a steady rate, and pods
// killed (kill -9), deleted and rolled: not one request may fail, and both pods serve again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { kubectlAsync, LoadGenerator } from './proxy-load.js';

/**
 * Requests per second the client sends, and for how long each disruption runs. The full
 * run (60 s, a kill every 10 s) is PROXY_KILL_PHASE_MS=60000 PROXY_KILL_EVERY_MS=10000.
 */
const RATE = 200;
const KILL_PHASE_MS = Number(process.env.PROXY_KILL_PHASE_MS ?? 25_000);
const KILL_EVERY_MS = Number(process.env.PROXY_KILL_EVERY_MS ?? 6_000);
const DELETE_PHASE_MS = 10_000;
const APP = join(FIXTURES, 'app/app.mjs');

let kp: Kubeproc;
let ingressUrl = '';
const figures: Record<string, unknown> = {};

interface PodBody {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: { containerStatuses?: { ready?: boolean; restartCount?: number }[] };
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${kp.url}${path}`);
  return (await res.json()) as T;
}

/** The app's pods that are ready and not being deleted, read from the API (no blocking kubectl). */
async function readyPods(): Promise<PodBody[]> {
  const list = await api<{ items: PodBody[] }>(
    '/api/v1/namespaces/default/pods?labelSelector=app%3Dhello',
  );
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

async function retries(): Promise<number> {
  const text = await (await fetch(`${kp.url}/metrics`)).text();
  const m = /kubeproc_proxy_retries_total\{namespace="default",service="hello",pod=""\} (\d+)/.exec(
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
      metadata: { name: 'hello' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'hello' } },
        template: {
          metadata: { labels: { app: 'hello' } },
          spec: {
            terminationGracePeriodSeconds: 5,
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
      metadata: { name: 'hello' },
      spec: { selector: { app: 'hello' }, ports: [{ port: 5000, targetPort: 'http' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'hello' },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'hello', port: { number: 5000 } } },
                },
              ],
            },
          },
        ],
      },
    },
  ],
});

beforeAll(async () => {
  const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;
  kp = await startKubeproc([
    '--ingress-http-port',
    '0',
    '--service-cidr',
    `${net}.0/24`,
    // Kill after kill restarts at once instead of backing off for minutes.
    '--crashloop-initial-backoff',
    '1s',
    '--crashloop-max-backoff',
    '2s',
  ]);
  kp.kubectlOk(['apply', '-f', '-'], manifests);
  await eventually('2 ready pods', async () => (await readyPods()).length === 2, 60_000);
  await eventually('the ingress port in status', async () => {
    const ing = await api<{
      status?: { loadBalancer?: { ingress?: { ip: string; ports?: { port: number }[] }[] } };
    }>('/apis/networking.k8s.io/v1/namespaces/default/ingresses/hello');
    const entry = ing.status?.loadBalancer?.ingress?.[0];
    ingressUrl = entry?.ports?.[0] ? `http://${entry.ip}:${entry.ports[0].port}/` : '';
    return ingressUrl !== '';
  });
});

afterAll(async () => {
  console.log(`proxy acceptance: ${JSON.stringify(figures)}`);
  await kp?.stop();
});

describe('an Ingress in front of 2 replicas under steady load', () => {
  it('shows the address in kubectl get ingress and serves both pods', async () => {
    const row = kp.kubectlOk(['get', 'ingress', 'hello', '--no-headers']).split(/\s+/);
    expect(row.slice(0, 5)).toEqual(['hello', 'nginx', '*', '127.0.0.1', '80']);
    const load = new LoadGenerator(ingressUrl, RATE);
    await load.runFor(2_000);
    expect(load.failures).toEqual([]);
    expect(load.podsSince(0).size).toBe(2);
  });

  it(
    'loses no request while a pod process is killed with SIGKILL again and again',
    async () => {
      const load = new LoadGenerator(ingressUrl, RATE);
      const before = await retries();
      const running = load.runFor(KILL_PHASE_MS);
      let kills = 0;
      let lastKillMs = 0;
      // The last kill leaves at least one period for the pod to come back and serve.
      while (load.elapsedMs() + 2 * KILL_EVERY_MS <= KILL_PHASE_MS) {
        await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
        // Kill only with the other pod ready and back in the proxy's rotation (the EndpointSlice
        // can trail the pod's status on a loaded machine): with none left, failing is correct.
        await eventually(
          '2 ready pods, both serving since the last kill, before the next kill',
          async () => (await readyPods()).length === 2 && load.podsSince(lastKillMs).size === 2,
          30_000,
        );
        const pods = await readyPods();
        const victim = pods[kills % pods.length];
        process.kill(appPid(victim as PodBody), 'SIGKILL');
        kills++;
        lastKillMs = load.elapsedMs();
      }
      await running;
      await eventually('2 ready pods again', async () => (await readyPods()).length === 2, 30_000);
      const after = new LoadGenerator(ingressUrl, RATE);
      await after.runFor(2_000);
      Object.assign(figures, {
        kill: {
          sent: load.sent,
          failed: load.failures.length,
          kills,
          retries: (await retries()) - before,
        },
      });
      expect(load.failures).toEqual([]);
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(load.sent).toBeGreaterThan(((RATE * KILL_PHASE_MS) / 1000) * 0.9);
      expect(load.podsSince(lastKillMs).size).toBe(2);
      expect(after.failures).toEqual([]);
      expect(after.podsSince(0).size).toBe(2);
    },
    KILL_PHASE_MS + 90_000,
  );

  it(
    'loses no request while a pod is deleted and replaced',
    async () => {
      const load = new LoadGenerator(ingressUrl, RATE);
      const before = await retries();
      const running = load.runFor(DELETE_PHASE_MS);
      await new Promise((r) => setTimeout(r, 1_000));
      const [victim] = await readyPods();
      const deleted = await kubectlAsync(kp, ['delete', 'pod', victim?.metadata.name ?? '']);
      expect(deleted.code).toBe(0);
      await running;
      await eventually('2 ready pods again', async () => (await readyPods()).length === 2, 30_000);
      figures.delete = {
        sent: load.sent,
        failed: load.failures.length,
        retries: (await retries()) - before,
      };
      expect(load.failures).toEqual([]);
      expect([...load.podsSince(0).keys()]).not.toEqual([victim?.metadata.name]);
    },
    DELETE_PHASE_MS + 60_000,
  );

  it('loses no request during a rolling update', async () => {
    const load = new LoadGenerator(ingressUrl, RATE);
    const before = await retries();
    const running = load.runUntilStopped();
    await new Promise((r) => setTimeout(r, 1_000));
    const oldPods = new Set((await readyPods()).map((p) => p.metadata.name));
    expect((await kubectlAsync(kp, ['rollout', 'restart', 'deployment/hello'])).code).toBe(0);
    const status = await kubectlAsync(kp, [
      'rollout',
      'status',
      'deployment/hello',
      '--timeout=120s',
    ]);
    expect(status.code).toBe(0);
    const rolledAtMs = load.elapsedMs();
    await eventually(
      '2 new ready pods',
      async () => {
        const pods = await readyPods();
        return pods.length === 2 && pods.every((p) => !oldPods.has(p.metadata.name));
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    await load.stop();
    await running;
    figures.rollout = {
      sent: load.sent,
      failed: load.failures.length,
      retries: (await retries()) - before,
    };
    expect(load.failures).toEqual([]);
    const servedAfter = [...load.podsSince(rolledAtMs).keys()];
    expect(servedAfter).toHaveLength(2);
    expect(servedAfter.some((p) => oldPods.has(p))).toBe(false);
  }, 180_000);
});
