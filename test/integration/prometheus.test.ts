// Seed 001 against a real Prometheus (Debian's package, installed when missing): kubeproc serves
// the scrape targets (http_sd) for a ServiceMonitor, Prometheus scrapes the mockmetrics pods every
// second, custom.metrics.k8s.io answers from PromQL with prometheus-adapter's default rules, and an
// HPA on the Service's Object metric scales the Deployment up, then down when the gauge drops.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { ensurePrometheus, freePort, PrometheusServer } from './prometheus-server.js';
import type { PromTarget } from './prometheus-server.js';
import { ADAPTER_CONFIG, mockmetricsManifests } from '../fixtures/mockmetrics/manifests.js';

const APP = join(FIXTURES, 'mockmetrics/app.mjs');

const prometheus = ensurePrometheus();
if (!prometheus.bin) {
  console.warn(`SKIPPING test/integration/prometheus.test.ts: ${prometheus.why ?? ''}`);
}

let kp: Kubeproc;
let prom: PrometheusServer | undefined;
let promUrl = '';
const dir = mkdtempSync(join(tmpdir(), 'kubeproc-prom-it-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type ValueList = {
  items: { describedObject: { kind: string; name: string }; value: string }[];
};

async function targets(): Promise<PromTarget[]> {
  return (await prom?.activeTargets()) ?? [];
}

function replicas(): number {
  const out = kp.kubectl([
    'get',
    'deployment',
    'mockmetrics-deploy',
    '-o',
    'jsonpath={.spec.replicas}',
  ]);
  return Number(out.stdout);
}

describe.skipIf(!prometheus.bin)('custom metrics from a real Prometheus (seed 001)', () => {
  beforeAll(async () => {
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    kp = await startKubeproc([
      '--prometheus-url',
      promUrl,
      '--prometheus-metrics-relist-interval',
      '1s',
      '--metric-resolution',
      '1s',
      '--horizontal-pod-autoscaler-sync-period',
      '1s',
      '--horizontal-pod-autoscaler-downscale-stabilization',
      '2s',
    ]);
    prom = new PrometheusServer(prometheus.bin ?? '', dir, promPort);
    await prom.start(`${kp.url}/prometheus/targets`);
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await kp?.stop();
  });

  it('serves the ServiceMonitor targets that Prometheus scrapes', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      mockmetricsManifests(APP, { hits: 150, interval: '2s' })
        .map((m) => JSON.stringify(m))
        .join('\n'),
    );
    await eventually(
      "Prometheus to scrape the mockmetrics pod through kubeproc's http_sd targets",
      async () => {
        const active = await targets();
        return active.some((t) => t.labels.service === 'mockmetrics-service' && t.health === 'up');
      },
      30_000,
    ).catch(async (e: unknown) => {
      throw new Error(
        `${(e as Error).message}\ntargets: ${JSON.stringify(await targets())}\nprometheus: ${prom?.log ?? ''}`,
      );
    });
    const [target] = (await targets()).filter((t) => t.labels.service === 'mockmetrics-service');
    expect(target?.labels).toMatchObject({
      namespace: 'default',
      service: 'mockmetrics-service',
      job: 'mockmetrics-service',
      endpoint: 'metrics-svc-port',
    });
    expect(target?.labels.pod).toMatch(/^mockmetrics-deploy-/);
    // The ServiceMonitor's interval reached Prometheus as a per-target label (the job says 1s).
    expect([target?.scrapeInterval, target?.scrapeTimeout]).toEqual(['2s', '2s']);
  });

  it('answers custom.metrics.k8s.io from PromQL with the default rules', async () => {
    const path =
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/mockmetrics-service/total_hit_count';
    let body: ValueList = { items: [] };
    await eventually(
      'the metric to be discovered and answered',
      () => {
        const r = kp.kubectl(['get', '--raw', path]);
        if (r.code !== 0) {
          return false;
        }
        body = JSON.parse(r.stdout) as ValueList;
        return true;
      },
      30_000,
    );
    expect(body.items[0]?.describedObject).toMatchObject({
      kind: 'Service',
      name: 'mockmetrics-service',
    });
    expect(Number(body.items[0]?.value)).toBeGreaterThanOrEqual(150);
    const list = JSON.parse(
      kp.kubectlOk([
        'get',
        '--raw',
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/total_hit_count',
      ]),
    ) as ValueList;
    expect(list.items.length).toBeGreaterThanOrEqual(1);
    expect(list.items.every((i) => i.value === '150')).toBe(true);
    // `up` exists only in Prometheus (it records each scrape): proof the answer is PromQL's.
    const up = JSON.parse(
      kp.kubectlOk([
        'get',
        '--raw',
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/up',
      ]),
    ) as ValueList;
    expect(up.items.map((i) => i.value)).toContain('1');
    // The seed's own command: v1beta1, every Service.
    const seed = JSON.parse(
      kp.kubectlOk([
        'get',
        '--raw',
        '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/services/*/total_hit_count',
      ]),
    ) as { items: { metricName: string; describedObject: { name: string } }[] };
    expect(seed.items.map((i) => [i.metricName, i.describedObject.name])).toEqual([
      ['total_hit_count', 'mockmetrics-service'],
    ]);
  });

  it('takes rules in the adapter format from --prometheus-adapter-config', async () => {
    const file = join(dir, 'adapter.yaml');
    writeFileSync(file, ADAPTER_CONFIG);
    // A second kubeproc on the same Prometheus: only the rules differ.
    const other = await startKubeproc([
      '--no-node',
      '--prometheus-url',
      promUrl,
      '--prometheus-adapter-config',
      file,
      '--prometheus-metrics-relist-interval',
      '1s',
    ]);
    try {
      const custom =
        '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/mockmetrics-service/hits_per_service';
      let value = '';
      await eventually('the renamed metric to be answered', () => {
        const r = other.kubectl(['get', '--raw', custom]);
        value = r.code === 0 ? ((JSON.parse(r.stdout) as ValueList).items[0]?.value ?? '') : '';
        return value !== '';
      });
      expect(Number(value)).toBeGreaterThanOrEqual(150);
      const external = JSON.parse(
        other.kubectlOk([
          'get',
          '--raw',
          '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/mock_hits',
        ]),
      ) as { items: { metricName: string; metricLabels: Record<string, string> }[] };
      expect(external.items.map((i) => [i.metricName, i.metricLabels])).toEqual([
        ['mock_hits', { service: 'mockmetrics-service' }],
      ]);
      expect(
        other.kubectl(['get', '--raw', custom.replace('hits_per_service', 'total_hit_count')]),
      ).toMatchObject({ code: 1 });
    } finally {
      await other.stop();
    }
  });

  it('scales the Deployment on the Object metric, up to the maximum and back down', async () => {
    await eventually('the HPA to scale mockmetrics-deploy to 3', () => replicas() === 3, 60_000);
    // kubectl's TARGETS column shows the Object metric's value as read through the API.
    const row = /Deployment\/mockmetrics-deploy\s+\d+\/100\s+1\s+3\s+3\s/;
    await eventually('kubectl get hpa to show 3 replicas and the metric', () =>
      row.test(kp.kubectlOk(['get', 'hpa', 'mockmetrics-app-hpa'])),
    );
    await eventually('3 running pods with a port map', () => podPorts().length === 3, 30_000);
    for (const port of podPorts()) {
      await fetch(`http://127.0.0.1:${port}/set?value=0`);
    }
    await eventually('the HPA to scale back down to 1', () => replicas() === 1, 60_000);
  });
});

/** The host port of each running mockmetrics pod (kubeproc.io/port-map). */
function podPorts(): number[] {
  const out = kp.kubectlOk(['get', 'pods', '-l', 'app=mockmetrics-app', '-o', 'json']);
  const pods = JSON.parse(out) as {
    items: { metadata: { annotations?: Record<string, string> }; status: { phase?: string } }[];
  };
  return pods.items
    .filter((p) => p.status.phase === 'Running')
    .map(
      (p) =>
        JSON.parse(p.metadata.annotations?.['kubeproc.io/port-map'] ?? '{}') as Record<
          string,
          number
        >,
    )
    .map((m) => m['8080'] ?? 0)
    .filter((port) => port > 0);
}

describe('kubeproc up --prometheus-adapter-config', () => {
  it('refuses a rule file not in the adapter format before starting anything', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rules:\n- seriesQuery: up\n  metricQuery: up\n');
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'up',
        '--data-dir',
        join(dir, 'never'),
        '--prometheus-url',
        'http://127.0.0.1:9',
        '--prometheus-adapter-config',
        file,
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: dir }, timeout: 30_000 },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('field metricQuery not found in type config.DiscoveryRule');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
