// Seed 001 with the real kubectl: the mockmetrics example (Deployment, Service, ServiceMonitor,
// the autoscaling/v2beta1 Object-metric HPA as written) scraped by the built-in scraper, served
// by custom.metrics.k8s.io, scaled up by /scale/up and back by /scale/down; an HPA on the proxy's
// requests_per_second under load through a ClusterIP; and bad input: broken /metrics endpoints
// and an unknown metric, each reported without disturbing the rest.
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const EXAMPLE = join(FIXTURES, '../../examples/mockmetrics');
const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc([
    // ClusterIPs of their own: other kubeprocs on this machine may serve the default range.
    '--service-cidr',
    `127.${150 + Math.floor(Math.random() * 100)}.0.0/16`,
    '--metric-resolution',
    '1s',
    '--horizontal-pod-autoscaler-sync-period',
    '1s',
    '--horizontal-pod-autoscaler-downscale-stabilization',
    '3s',
    '--horizontal-pod-autoscaler-initial-readiness-delay',
    '1s',
    '--scrape-interval',
    '1s',
    '--custom-metrics-rate-window',
    '4s',
    '--scrape-body-size-limit',
    '1MiB',
  ]);
});

afterAll(async () => {
  await kp?.stop();
});

const get = (args: string[], path: string): string =>
  kp.kubectlOk(['get', ...args, '-o', `jsonpath={${path}}`]);
/** `get`, or '' while the path does not exist yet (no ready address ...). */
const peek = (args: string[], path: string): string => {
  const r = kp.kubectl(['get', ...args, '-o', `jsonpath={${path}}`]);
  return r.code === 0 ? r.stdout : '';
};
const raw = (path: string): { items: { describedObject?: { name: string }; value: string }[] } =>
  JSON.parse(kp.kubectlOk(['get', '--raw', path])) as ReturnType<typeof raw>;
const replicas = (deployment: string): number =>
  Number(get(['deployment', deployment], '.spec.replicas'));

/** One GET on a new connection (the ClusterIP proxy counts connections). */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The address of a pod's container port (status.podIP and the host port, ADR 0005). */
function podAddress(pod: string, containerPort: number): string {
  const ip = get(['pod', pod], '.status.podIP');
  const map = JSON.parse(
    get(['pod', pod], '.metadata.annotations.kubeproc\\.io/port-map'),
  ) as Record<string, number>;
  return `${ip}:${map[String(containerPort)] ?? containerPort}`;
}

function rescales(hpa: string): string[] {
  const out = kp.kubectlOk([
    'get',
    'events',
    '--field-selector',
    `involvedObject.name=${hpa},reason=SuccessfulRescale`,
    '--sort-by=.lastTimestamp',
    '-o',
    'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
  ]);
  return out.split('\n').filter(Boolean);
}

describe('seed 001: mockmetrics scaled on an Object metric (total_hit_count of its Service)', () => {
  let first = '';

  beforeAll(async () => {
    const image = spawnSync(
      process.execPath,
      [
        BIN,
        'image',
        'add',
        'bhavin192/mockmetrics:latest',
        '--kubeconfig',
        kp.kubeconfig,
        '--env',
        'HIT_STEP=40',
        '--entrypoint',
        'node',
        '--',
        join(EXAMPLE, 'app.mjs'),
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: kp.dir } },
    );
    expect(image.stderr).toBe('');
    const applied = kp.kubectlOk(['apply', '-f', EXAMPLE]);
    expect(applied).toContain('servicemonitor.monitoring.coreos.com/mockmetrics-sm created');
    expect(applied).toContain('horizontalpodautoscaler.autoscaling/mockmetrics-app-hpa created');
    await eventually(
      'a ready mockmetrics pod',
      () =>
        peek(['endpoints', 'mockmetrics-service'], '.subsets[0].addresses[0].targetRef.name') !==
        '',
      60_000,
    );
    first = get(['endpoints', 'mockmetrics-service'], '.subsets[0].addresses[0].targetRef.name');
  });

  it('registers the custom and external metrics APIServices, Available', () => {
    const table = kp.kubectlOk(['get', 'apiservices']);
    for (const name of [
      'v1beta1.custom.metrics.k8s.io',
      'v1beta2.custom.metrics.k8s.io',
      'v1beta1.external.metrics.k8s.io',
    ]) {
      expect(table).toMatch(
        new RegExp(`${name.replace(/\./g, '\\.')}\\s+kube-system/kubeproc-metrics-adapter\\s+True`),
      );
    }
    expect(kp.kubectlOk(['get', 'servicemonitors'])).toMatch(
      /^NAME\s+AGE\nmockmetrics-sm\s+\d+s\n$/,
    );
  });

  it('serves total_hit_count for the Service and its pods, as the seed reads it', async () => {
    await eventually(
      'HPA TARGETS 0/100',
      () => /\b0\/100\b/.test(kp.kubectlOk(['get', 'hpa', 'mockmetrics-app-hpa'])),
      30_000,
    );
    const services = raw(
      '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/services/*/total_hit_count',
    );
    expect(services.items).toEqual([
      expect.objectContaining({
        describedObject: {
          kind: 'Service',
          namespace: 'default',
          name: 'mockmetrics-service',
          apiVersion: '/v1',
        },
        metricName: 'total_hit_count',
        value: '0',
      }),
    ]);
    const pods = raw(
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/total_hit_count?labelSelector=app%3Dmockmetrics-app',
    );
    expect(pods.items.map((i) => i.describedObject?.name)).toEqual([first]);
    const discovery = kp.kubectlOk(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2']);
    expect(discovery).toContain('"name":"services/total_hit_count"');
  });

  it('/scale/up drives the replicas up as the algorithm gives, TARGETS above 100', async () => {
    const clusterIP = get(['service', 'mockmetrics-service'], '.spec.clusterIP');
    expect(await httpGet(`http://${clusterIP}/scale/up`)).toBe('Going up!\n');
    let above = '';
    await eventually(
      'TARGETS above 100/100',
      () => {
        const m = /\s(\d+)\/100\s/.exec(kp.kubectlOk(['get', 'hpa', 'mockmetrics-app-hpa']));
        above = m && Number(m[1]) > 110 ? (m[1] ?? '') : '';
        return above !== '';
      },
      60_000,
    );
    // Hold the value: it no longer depends on the replicas, so the HPA keeps adding pods (Value
    // target: ceil(ready pods * value/100) each time) up to maxReplicas.
    await httpGet(`http://${podAddress(first, 8080)}/scale/stop`);
    await eventually(
      '10 replicas (maxReplicas)',
      () => replicas('mockmetrics-deploy') === 10,
      90_000,
    );
    const events = rescales('mockmetrics-app-hpa');
    const sizes = events.map((e) => Number(/New size: (\d+)/.exec(e)?.[1]));
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBe(10);
    for (const e of events) {
      expect(e).toMatch(/^New size: \d+; reason: Service metric total_hit_count above target$/);
    }
    expect(
      get(['hpa', 'mockmetrics-app-hpa'], '.status.currentMetrics[0].object.current.value'),
    ).toMatch(/^\d+$/);
  });

  it('/scale/down brings them back to 1', async () => {
    expect(await httpGet(`http://${podAddress(first, 8080)}/scale/down`)).toBe('Going down :P\n');
    await eventually('1 replica', () => replicas('mockmetrics-deploy') === 1, 90_000);
    expect(rescales('mockmetrics-app-hpa').at(-1)).toBe(
      'New size: 1; reason: All metrics below target',
    );
    await eventually(
      'kubectl get hpa: REPLICAS 1',
      () => /\s\d+\/100\s+1\s+10\s+1\s/.test(kp.kubectlOk(['get', 'hpa', 'mockmetrics-app-hpa'])),
      20_000,
    );
  });
});

function webDeployment(name: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
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
            },
          ],
        },
      },
    },
  });
}

describe('an HPA on the proxy’s requests_per_second (no change to the app)', () => {
  it('scales under HTTP load through the ClusterIP and back when it stops', async () => {
    kp.kubectlOk(['apply', '-f', '-'], webDeployment('rps'));
    kp.kubectlOk(['expose', 'deployment', 'rps', '--port', '80', '--target-port', 'http']);
    kp.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'rps' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rps' },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [
            {
              type: 'Pods',
              pods: {
                metric: { name: 'requests_per_second' },
                target: { type: 'AverageValue', averageValue: '5' },
              },
            },
          ],
        },
      }),
    );
    await eventually(
      'a ready rps pod',
      () => peek(['endpoints', 'rps'], '.subsets[0].addresses[0].ip') !== '',
      60_000,
    );
    const clusterIP = get(['service', 'rps'], '.spec.clusterIP');
    const serviceRps = (): number => {
      const path =
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/rps/requests_per_second';
      const r = kp.kubectl(['get', '--raw', path]);
      const value =
        r.code === 0 ? (JSON.parse(r.stdout) as ReturnType<typeof raw>).items[0]?.value : '0';
      return value?.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value ?? 0);
    };
    let loading = true;
    const load = (async () => {
      while (loading) {
        // About 40 requests a second, in parallel batches.
        await Promise.all(Array.from({ length: 4 }, () => httpGet(`http://${clusterIP}/`)));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await eventually(
        'requests_per_second served for the Service',
        () => serviceRps() > 10,
        30_000,
      );
      await eventually('3 replicas under load', () => replicas('rps') === 3, 60_000);
      expect(rescales('rps')[0]).toMatch(
        /^New size: \d; reason: pods metric requests_per_second above target$/,
      );
    } finally {
      loading = false;
      await load;
    }
    await eventually('back to 1 replica without load', () => replicas('rps') === 1, 60_000).catch(
      async (e: unknown) => {
        const proxy = (await (await fetch(`${kp.url}/metrics`)).text())
          .split('\n')
          .filter((l) => l.includes('service="rps"') && l.includes('requests_total'))
          .join('\n');
        throw new Error(
          `${proxy}\n${kp.kubectlOk(['get', 'pods', '-l', 'app=rps'])}\n` +
            `${(e as Error).message}\n${kp.kubectlOk(['describe', 'hpa', 'rps'])}\n${kp.kubectl(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/requests_per_second?labelSelector=app%3Drps']).stdout}`,
        );
      },
    );
    expect(rescales('rps').at(-1)).toBe('New size: 1; reason: All metrics below target');
  });
});

/** A pod whose /metrics is broken in one way (inline Node, listening on $PORT). */
function badPod(name: string, mode: 'malformed' | 'slow' | 'huge'): string {
  const script = `
    const mode = ${JSON.stringify(mode)};
    require('http').createServer((req, res) => {
      if (mode === 'slow') return;
      if (mode === 'huge') { for (let i = 0; i < 40; i++) res.write('x'.repeat(100000) + ' 1\\n'); return res.end(); }
      res.end('total_hit_count{broken 1\\n');
    }).listen(process.env.PORT);`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' },
    },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'app',
          image: 'fixture',
          command: ['node', '-e', script],
          ports: [{ containerPort: 8080 }],
        },
      ],
    },
  });
}

describe('bad input', () => {
  it.each([
    ['bad-malformed', 'malformed', 'text format parsing error in line 1'],
    ['bad-slow', 'slow', 'context deadline exceeded'],
    ['bad-huge', 'huge', 'body size limit exceeded (more than 1048576 bytes)'],
  ] as const)(
    '%s: a FailedScrape event with the reason; the API and other metrics unaffected',
    async (name, mode, message) => {
      kp.kubectlOk(['apply', '-f', '-'], badPod(name, mode));
      let events = '';
      await eventually(
        `a FailedScrape event on ${name}`,
        () => {
          events = kp.kubectlOk([
            'get',
            'events',
            '--field-selector',
            `involvedObject.name=${name},reason=FailedScrape`,
          ]);
          return events.includes(message);
        },
        30_000,
      );
      expect(events).toMatch(/Warning\s+FailedScrape\s+pod\/bad-/);
      const missing = kp.kubectl([
        'get',
        '--raw',
        `/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/${name}/total_hit_count`,
      ]);
      expect(missing.stderr).toContain(
        `the server could not find the metric total_hit_count for pods ${name}`,
      );
      expect(
        raw(
          '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/mockmetrics-service/total_hit_count',
        ).items,
      ).toHaveLength(1);
    },
  );

  it('an unknown metric: ScalingActive False, FailedGetObjectMetric with the adapter’s message', async () => {
    // A Deployment of its own: a second HPA on mockmetrics-deploy would be AmbiguousSelector.
    kp.kubectlOk(['apply', '-f', '-'], webDeployment('lonely'));
    kp.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'unknown-metric' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lonely' },
          minReplicas: 1,
          maxReplicas: 2,
          metrics: [
            {
              type: 'Object',
              object: {
                describedObject: { apiVersion: 'v1', kind: 'Service', name: 'mockmetrics-service' },
                metric: { name: 'no_such_metric' },
                target: { type: 'Value', value: '1' },
              },
            },
          ],
        },
      }),
    );
    const message = 'the server could not find the metric no_such_metric for services';
    await eventually(
      'ScalingActive False (FailedGetObjectMetric)',
      () =>
        get(['hpa', 'unknown-metric'], '.status.conditions[?(@.type=="ScalingActive")].reason') ===
        'FailedGetObjectMetric',
      30_000,
    );
    const condition = get(
      ['hpa', 'unknown-metric'],
      '.status.conditions[?(@.type=="ScalingActive")].message',
    );
    expect(condition).toMatch(/^the HPA was unable to compute the replica count: /);
    expect(condition).toContain(
      `unable to get metric no_such_metric on Service default/mockmetrics-service: unable to fetch metrics from custom metrics API: ${message}`,
    );
    const events = kp.kubectlOk([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=unknown-metric,reason=FailedGetObjectMetric',
    ]);
    expect(events).toContain(message);
    expect(kp.kubectlOk(['get', 'hpa', 'unknown-metric'])).toContain('<unknown>/1');
  });
});
