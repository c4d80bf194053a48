// Seed 000's tutorial end to end, with its own commands verbatim wherever kubeproc's isolated
// network mode allows: deploy the Flask app, a ClusterIP Service and an Ingress, requests
// alternate between the pods, `killall python3` in one pod loses no request and shows RESTARTS 1,
// `kubectl autoscale` + the seed's resource patch, `ab` inside a pod against 127.0.0.1:5000
// scales the Deployment above 2, and it returns to 2 after the load. The only addition is the
// image registration (kubeproc runs processes, not container images).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, eventually, isolatedNetwork, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { kubectlAsync, LoadGenerator } from './proxy-load.js';

const APP = join(BIN, '../../examples/hello-flask/app.py');
const IMAGE = 'ghostwritten/hello-world-flask:latest';
const ANSWER = /^Hello, Kubernetes! from Pod: (\S+)\n$/;

let kp: Kubeproc;
let ingressUrl = '';

interface PodRow {
  name: string;
  phase: string;
  restarts: number;
  ready: boolean;
}

function pods(): PodRow[] {
  const list = JSON.parse(
    kp.kubectlOk(['get', 'pods', '-l', 'app=hello-world-flask', '-o', 'json']),
  ) as {
    items: {
      metadata: { name: string; deletionTimestamp?: string };
      status: {
        phase: string;
        containerStatuses?: { restartCount: number; ready: boolean }[];
      };
    }[];
  };
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      phase: p.status.phase,
      restarts: p.status.containerStatuses?.[0]?.restartCount ?? 0,
      ready: p.status.containerStatuses?.[0]?.ready ?? false,
    }));
}

function replicas(): number {
  return Number(
    kp.kubectlOk(['get', 'deployment', 'hello-world-flask', '-o', 'jsonpath={.spec.replicas}']),
  );
}

beforeAll(async () => {
  kp = await startKubeproc([
    ...isolatedNetwork().args,
    '--ingress-http-port',
    '0',
    '--metric-resolution',
    '1s',
    '--horizontal-pod-autoscaler-sync-period',
    '1s',
    '--horizontal-pod-autoscaler-downscale-stabilization',
    '10s',
  ]);
  // 2 ms of CPU per request keeps the seed's `ab -n 10000` to a CI-sized run.
  const add = spawnSync(
    process.execPath,
    [BIN, 'image', 'add', IMAGE, '--env', 'CPU_MS_PER_REQUEST=2', '--', 'python3', APP],
    { encoding: 'utf8', env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig } },
  );
  expect(add.status, add.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await kp?.stop();
});

describe('seed 000 with its own commands', () => {
  it('deploys two replicas, a ClusterIP Service and an Ingress that alternates between them', async () => {
    kp.kubectlOk(['create', 'deployment', 'hello-world-flask', `--image=${IMAGE}`, '--replicas=2']);
    kp.kubectlOk(['create', 'service', 'clusterip', 'hello-world-flask', '--tcp=5000:5000']);
    kp.kubectlOk(['create', 'ingress', 'hello-world-flask', '--rule=/=hello-world-flask:5000']);
    await eventually('2 Running pods', () => pods().filter((p) => p.ready).length === 2, 60_000);
    await eventually('the ingress port in status', () => {
      const ports = kp.kubectl([
        'get',
        'ingress',
        'hello-world-flask',
        '-o',
        'jsonpath={.status.loadBalancer.ingress[0].ip}:{.status.loadBalancer.ingress[0].ports[0].port}',
      ]).stdout;
      ingressUrl = /^[\d.]+:\d+$/.test(ports) ? `http://${ports}/` : '';
      return ingressUrl !== '';
    });
    const load = new LoadGenerator(ingressUrl, 20, ANSWER);
    await eventually(
      'answers from both pods through the Ingress',
      async () => {
        await load.runFor(1_000);
        return load.podsSince(0).size === 2;
      },
      30_000,
    );
    expect([...load.podsSince(0).keys()].sort()).toEqual(
      pods()
        .map((p) => p.name)
        .sort(),
    );
  }, 120_000);

  it('answers seed 002’s checks: Endpoints in describe, and wget by Service name from `kubectl run -it`', () => {
    const describe = kp.kubectlOk(['describe', 'svc', 'hello-world-flask']);
    const endpoints = /^Endpoints:\s+(.*)$/m.exec(describe)?.[1] ?? '';
    const podIPs = kp
      .kubectlOk([
        'get',
        'pods',
        '-l',
        'app=hello-world-flask',
        '-o',
        'jsonpath={.items[*].status.podIP}',
      ])
      .split(' ')
      .map((ip) => `${ip}:5000`)
      .sort();
    expect(endpoints.split(',').sort()).toEqual(podIPs);
    const add = spawnSync(process.execPath, [BIN, 'image', 'add', 'busybox'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
    });
    expect(add.status, add.stderr).toBe(0);
    // The seed's command with -it, so it runs under a terminal as a user's shell would give it.
    const seedCommand =
      'kubectl run test --rm -it --image=busybox --restart=Never -- wget -qO- http://hello-world-flask:5000';
    const run = spawnSync('script', ['-qec', seedCommand, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
      timeout: 60_000,
    });
    expect(run.stdout).toMatch(/Hello, Kubernetes! from Pod: hello-world-flask-/);
    expect(run.stdout).toContain('pod "test" deleted');
  }, 90_000);

  it('loses no request while `killall python3` ends one pod, which restarts (RESTARTS 1)', async () => {
    const [victim] = pods();
    const load = new LoadGenerator(ingressUrl, 20, ANSWER);
    const running = load.runUntilStopped();
    await new Promise((r) => setTimeout(r, 1_000));
    // The seed's command; -it needs a terminal, which a test has not.
    const kill = await kubectlAsync(kp, [
      'exec',
      victim?.name ?? '',
      '--',
      'bash',
      '-c',
      'killall python3',
    ]);
    expect(kill.code, kill.stderr).toBe(0);
    await eventually(
      'RESTARTS 1 and both pods Ready again',
      () => {
        const now = pods();
        return (
          now.find((p) => p.name === victim?.name)?.restarts === 1 && now.every((p) => p.ready)
        );
      },
      60_000,
    );
    const afterMs = load.elapsedMs();
    // A backend that failed is ejected for a few seconds before it gets traffic again.
    await eventually('both pods answering again', () => load.podsSince(afterMs).size === 2, 30_000);
    await load.stop();
    await running;
    expect(load.failures).toEqual([]);
    expect(kp.kubectlOk(['get', 'pods'])).toMatch(
      new RegExp(`${victim?.name ?? '-'}\\s+1/1\\s+Running\\s+1 `),
    );
  }, 120_000);

  it('autoscales above 2 under `ab` inside a pod, and back to 2 after', async () => {
    kp.kubectlOk([
      'autoscale',
      'deployment',
      'hello-world-flask',
      '--cpu-percent=50',
      '--min=2',
      '--max=10',
    ]);
    kp.kubectlOk([
      'patch',
      'deployment',
      'hello-world-flask',
      '--type=json',
      '-p=[{"op": "add", "path": "/spec/template/spec/containers/0/resources", "value": {"requests": {"memory": "100Mi", "cpu": "100m"}}}]',
    ]);
    // The old pods gone too: a terminating pod is still phase Running, and the seed's
    // field selector below would hand it to `ab`, which then dies with its container.
    await eventually(
      'the patched pods Running and the old ones gone',
      () => {
        const now = pods();
        const all = kp.kubectlOk(['get', 'pods', '-l', 'app=hello-world-flask', '-o', 'name']);
        return (
          now.length === 2 &&
          now.every((p) => p.ready && p.restarts === 0) &&
          all.trim().split('\n').length === 2
        );
      },
      90_000,
    );
    const running = kp.kubectlOk([
      'get',
      'pod',
      '--field-selector=status.phase==Running',
      '-o',
      'jsonpath={.items[0].metadata.name}',
    ]);
    const ab = kubectlAsync(kp, [
      'exec',
      running,
      '--',
      'ab',
      '-c',
      '50',
      '-n',
      '10000',
      'http://127.0.0.1:5000/',
    ]);
    await eventually('the HPA to scale above 2', () => replicas() > 2, 90_000);
    const result = await ab;
    expect(result.stdout).toContain('Complete requests:      10000');
    expect(result.stdout).toContain('Failed requests:        0');
    await eventually('back to 2 replicas after the load', () => replicas() === 2, 90_000);
    const events = kp.kubectlOk(['describe', 'hpa', 'hello-world-flask']);
    expect(events).toContain('above target');
    expect(events).toContain('All metrics below target');
  }, 300_000);
});
