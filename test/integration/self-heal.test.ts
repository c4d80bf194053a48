// The seeds' self-healing with real processes and the real kubectl: a Deployment behind a Service
// replaces a deleted pod, restarts a killed process in place, and rolls out (and back) under
// maxUnavailable 0 without ever having fewer ready endpoints than replicas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc();
});

afterAll(async () => {
  await kp?.stop();
});

function deployment(name: string, replicas: number, version: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'app',
              image: 'fixture',
              command: ['node', APP],
              env: [{ name: 'VERSION', value: version }],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  });
}

function service(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 'http' }] },
  });
}

interface EndpointsBody {
  subsets?: {
    addresses?: { ip: string; targetRef?: { name: string } }[];
    ports?: { port: number }[];
  }[];
}

/** Ready addresses as ip:port, read straight from the API (fast enough to poll continuously). */
async function readyEndpoints(name: string): Promise<string[]> {
  const res = await fetch(`${kp.url}/api/v1/namespaces/default/endpoints/${name}`);
  if (res.status !== 200) {
    return [];
  }
  const body = (await res.json()) as EndpointsBody;
  return (body.subsets ?? []).flatMap((s) =>
    (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`)),
  );
}

function podsOf(app: string): string[] {
  return kp
    .kubectlOk(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}'])
    .split(' ')
    .filter(Boolean);
}

function pidOf(pod: string): number {
  const get = (path: string): string =>
    kp.kubectlOk(['get', 'pod', pod, '-o', `jsonpath={${path}}`]);
  const file = join(
    kp.dir,
    'data/pods',
    get('.metadata.uid'),
    'app',
    `${get('.status.containerStatuses[0].restartCount')}.state.json`,
  );
  const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; appPid?: number };
  return state.appPid ?? state.pid;
}

describe('a Deployment behind a Service', () => {
  beforeAll(async () => {
    kp.kubectlOk(['apply', '-f', '-'], deployment('hello', 2, 'v1'));
    kp.kubectlOk(['apply', '-f', '-'], service('hello'));
    await eventually(
      '2 ready endpoints',
      async () => (await readyEndpoints('hello')).length === 2,
      60_000,
    );
  });

  it('publishes both pods on their real ports, and they answer', async () => {
    const endpoints = await readyEndpoints('hello');
    expect(new Set(endpoints).size).toBe(2);
    for (const ep of endpoints) {
      const res = await fetch(`http://${ep}/`);
      expect(await res.text()).toMatch(/^Hello from /);
    }
    const describe = kp.kubectlOk(['describe', 'svc', 'hello']);
    expect(describe).toMatch(/Endpoints:\s+127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/);
  });

  it('replaces a deleted pod with a new one that becomes ready', async () => {
    const [victim] = podsOf('hello');
    kp.kubectlOk(['delete', 'pod', victim ?? '']);
    await eventually(
      'a replacement ready',
      async () =>
        !podsOf('hello').includes(victim ?? '') && (await readyEndpoints('hello')).length === 2,
      60_000,
    );
    expect(
      kp.kubectlOk(['get', 'deployment', 'hello', '-o', 'jsonpath={.status.readyReplicas}']),
    ).toBe('2');
  });

  it('restarts a killed process in the same pod, which rejoins the endpoints', async () => {
    const [pod] = podsOf('hello');
    process.kill(pidOf(pod ?? ''), 'SIGKILL');
    await eventually(
      'RESTARTS 1',
      () =>
        / 1 \(/.test(kp.kubectlOk(['get', 'pod', pod ?? '', '--no-headers']).replace(/\s+/g, ' ')),
      20_000,
    );
    await eventually(
      '2 ready endpoints again',
      async () => (await readyEndpoints('hello')).length === 2,
      30_000,
    );
    expect(podsOf('hello')).toContain(pod);
  });

  it('rolls out 4 replicas under maxUnavailable 0 without dropping below 4 ready endpoints, and back', async () => {
    kp.kubectlOk(['scale', 'deployment', 'hello', '--replicas=4']);
    await eventually(
      '4 ready endpoints',
      async () => (await readyEndpoints('hello')).length === 4,
      60_000,
    );
    let fewest = 4;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        fewest = Math.min(fewest, (await readyEndpoints('hello')).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    kp.kubectlOk(['set', 'env', 'deployment/hello', 'VERSION=v2']);
    const status = kp.kubectl(['rollout', 'status', 'deployment/hello', '--timeout=120s']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('deployment "hello" successfully rolled out');
    kp.kubectlOk(['rollout', 'undo', 'deployment/hello']);
    expect(kp.kubectl(['rollout', 'status', 'deployment/hello', '--timeout=120s']).code).toBe(0);
    watching = false;
    await watcher;
    expect(fewest).toBeGreaterThanOrEqual(4);
    const env = kp.kubectlOk([
      'get',
      'deployment',
      'hello',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].env[0].value}',
    ]);
    expect(env).toBe('v1');
    expect(kp.kubectlOk(['rollout', 'history', 'deployment/hello'])).toMatch(/^2 /m);
  });
});
