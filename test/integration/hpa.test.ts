// The seeds' autoscaling with real processes and the real kubectl: `kubectl autoscale` on a
// Deployment with CPU requests, load on every ready pod -> replicas rise to the maximum, load off
// -> back to the minimum after the (short) stabilization window; memory-based scaling; and the
// conditions, events and warnings Kubernetes gives for bad input.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc([
    '--metric-resolution',
    '1s',
    '--horizontal-pod-autoscaler-sync-period',
    '1s',
    '--horizontal-pod-autoscaler-downscale-stabilization',
    '3s',
    '--horizontal-pod-autoscaler-cpu-initialization-period',
    '2s',
    '--horizontal-pod-autoscaler-initial-readiness-delay',
    '1s',
  ]);
});

afterAll(async () => {
  await kp?.stop();
});

function deployment(
  name: string,
  replicas: number,
  requests: Record<string, string> | undefined,
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'app',
              image: 'fixture',
              command: ['node', APP],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
              ...(requests ? { resources: { requests } } : {}),
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
  subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
}

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

/** Keeps every ready pod of `name` running `path` (refreshed twice a second) until stopped. */
function loadEveryPod(name: string, path: string): () => void {
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const endpoints = await readyEndpoints(name).catch(() => []);
      await Promise.all(
        endpoints.map((ep) =>
          fetch(`http://${ep}${path}`).then(
            (r) => r.text(),
            () => '',
          ),
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

const jsonpath = (args: string[], path: string): string =>
  kp.kubectlOk(['get', ...args, '-o', `jsonpath={${path}}`]);

const condition = (hpa: string, type: string): string =>
  jsonpath(
    ['hpa', hpa],
    `.status.conditions[?(@.type=="${type}")].status}/{.status.conditions[?(@.type=="${type}")].reason`,
  );

describe('CPU autoscaling of a Deployment (kubectl autoscale)', () => {
  beforeAll(async () => {
    kp.kubectlOk(['apply', '-f', '-'], deployment('web', 2, { cpu: '100m', memory: '64Mi' }));
    kp.kubectlOk(['apply', '-f', '-'], service('web'));
    await eventually(
      '2 ready pods',
      async () => (await readyEndpoints('web')).length === 2,
      60_000,
    );
  });

  it('creates the HPA and shows its CPU utilization once metrics arrive', async () => {
    expect(
      kp.kubectlOk(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=2', '--max=5']),
    ).toContain('horizontalpodautoscaler.autoscaling/web autoscaled');
    await eventually(
      'TARGETS with a measured utilization',
      () => /cpu: \d+%\/50%/.test(kp.kubectlOk(['get', 'hpa', 'web'])),
      30_000,
    );
    const table = kp.kubectlOk(['get', 'hpa', 'web']);
    expect(table).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    expect(table).toMatch(/web\s+Deployment\/web\s+cpu: \d+%\/50%\s+2\s+5\s+2\s+/);
    // Idle pods propose fewer replicas; the 3 s downscale window holds the count (as upstream).
    expect(condition('web', 'AbleToScale')).toMatch(
      /^True\/(ReadyForNewScale|ScaleDownStabilized)$/,
    );
    expect(condition('web', 'ScalingActive')).toBe('True/ValidMetricFound');
  });

  it('scales up to the maximum under load, and back to the minimum after it', async () => {
    const stop = loadEveryPod('web', '/burn?cores=0.1&seconds=2');
    try {
      await eventually(
        '5 replicas',
        () => jsonpath(['deployment', 'web'], '.spec.replicas') === '5',
        90_000,
      );
      await eventually(
        'ScalingLimited TooManyReplicas',
        () => condition('web', 'ScalingLimited') === 'True/TooManyReplicas',
        30_000,
      );
    } finally {
      stop();
    }
    const events = kp.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=web']);
    expect(events).toMatch(
      /SuccessfulRescale\s+horizontalpodautoscaler\/web\s+New size: \d; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    await eventually(
      'back to 2 replicas',
      () => jsonpath(['deployment', 'web'], '.spec.replicas') === '2',
      90_000,
    );
    const describe = kp.kubectlOk(['describe', 'hpa', 'web']);
    expect(describe).toMatch(/New size: 2; reason: All metrics below target/);
    expect(describe).toMatch(/Min replicas:\s+2/);
    expect(describe).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    // Beyond Kubernetes: the last decision in words.
    expect(describe).toMatch(/autoscaling\.kubeproc\.io\/last-decision:\s+(The|No metric) /);
  });

  it('warns when kubectl scale changes replicas the HPA manages', () => {
    const run = kp.kubectl(['scale', 'deployment', 'web', '--replicas=3']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /Warning: deployment "web" is scaled by HorizontalPodAutoscaler "web" \(min 2, max 5\)/,
    );
  });
});

describe('memory autoscaling (averageUtilization of the memory request)', () => {
  it('adds replicas when the pods hold memory', async () => {
    kp.kubectlOk(['apply', '-f', '-'], deployment('mem', 1, { cpu: '50m', memory: '128Mi' }));
    kp.kubectlOk(['apply', '-f', '-'], service('mem'));
    kp.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'mem' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mem' },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } },
            },
          ],
        },
      }),
    );
    await eventually('1 ready pod', async () => (await readyEndpoints('mem')).length === 1, 60_000);
    await eventually(
      'a memory utilization',
      () => /memory: \d+%\/60%/.test(kp.kubectlOk(['get', 'hpa', 'mem'])),
      30_000,
    );
    for (const ep of await readyEndpoints('mem')) {
      expect((await fetch(`http://${ep}/alloc?mb=100`)).status).toBe(200);
    }
    await eventually(
      'more than one replica',
      () => Number(jsonpath(['deployment', 'mem'], '.spec.replicas')) > 1,
      60_000,
    );
    expect(kp.kubectlOk(['describe', 'hpa', 'mem'])).toMatch(
      /New size: \d; reason: memory resource utilization \(percentage of request\) above target/,
    );
  });
});

describe('bad input', () => {
  it('reports a target that does not exist (AbleToScale False, FailedGetScale)', async () => {
    // kubectl autoscale checks the target exists; a manifest does not.
    kp.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'nope' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' },
          maxReplicas: 3,
        },
      }),
    );
    await eventually(
      'FailedGetScale',
      () => condition('nope', 'AbleToScale') === 'False/FailedGetScale',
      30_000,
    );
    const describe = kp.kubectlOk(['describe', 'hpa', 'nope']);
    expect(describe).toMatch(/FailedGetScale\s+.*deployments\.apps "nope" not found/);
    expect(describe).toContain(
      'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found',
    );
  });

  it('reports pods without a CPU request (ScalingActive False, FailedGetResourceMetric)', async () => {
    kp.kubectlOk(['apply', '-f', '-'], deployment('noreq', 1, undefined));
    kp.kubectlOk(['autoscale', 'deployment', 'noreq', '--cpu-percent=50', '--max=3']);
    await eventually(
      'FailedGetResourceMetric for the missing request',
      () =>
        condition('noreq', 'ScalingActive') === 'False/FailedGetResourceMetric' &&
        /missing request for cpu in container app of Pod noreq-/.test(
          kp.kubectlOk(['describe', 'hpa', 'noreq']),
        ),
      60_000,
    );
    expect(kp.kubectlOk(['get', 'hpa', 'noreq'])).toMatch(/cpu: <unknown>\/50%/);
  });

  it('refuses minReplicas above maxReplicas with the Kubernetes message', () => {
    // kubectl autoscale checks this itself; a manifest reaches the server's validation.
    const run = kp.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'bad' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 5,
          maxReplicas: 2,
        },
      }),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /spec\.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`/,
    );
  });
});
