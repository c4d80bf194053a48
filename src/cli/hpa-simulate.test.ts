// `kubeproc hpa simulate`: flags, manifests (any autoscaling version, with or without the
// target workload), output formats, and usage errors.
import { describe, expect, it } from 'vitest';
import { hpa, loadManifests, simulationConfig } from './hpa-simulate.js';
import type { Output } from './output.js';

const HPA_V2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: app
        resources: {requests: {cpu: 500m}}
`;
const TRACE = 'time,total\n0,1\n30,3\n';

function files(extra: Record<string, string> = {}): (path: string) => string {
  const all: Record<string, string> = {
    'hpa.yaml': `${HPA_V2}---\n${DEPLOYMENT}`,
    'load.csv': TRACE,
    ...extra,
  };
  return (path) => {
    const text = all[path];
    if (text === undefined) {
      throw new Error(`ENOENT: ${path}`);
    }
    return text;
  };
}

function capture(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { lines, print: (l) => lines.push(l), error: (l) => lines.push(l) };
}

describe('loadManifests', () => {
  it('takes the pod template and replicas of the target workload', () => {
    const m = loadManifests(`${HPA_V2}---\n${DEPLOYMENT}`);
    expect(m.hpa.spec.maxReplicas).toBe(10);
    expect(m.replicas).toBe(3);
    expect(m.containers).toEqual([{ name: 'app', resources: { requests: { cpu: '500m' } } }]);
  });

  it('converts an autoscaling/v1 HPA in a List and applies the defaults', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'autoscaling/v1',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'web' },
          spec: {
            scaleTargetRef: { kind: 'Deployment', name: 'web' },
            maxReplicas: 4,
            targetCPUUtilizationPercentage: 70,
          },
        },
      ],
    });
    const m = loadManifests(list);
    expect(m.hpa.spec.minReplicas).toBe(1);
    expect(m.hpa.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
    expect(m.containers).toBeUndefined();
  });

  it.each([
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      'no HorizontalPodAutoscaler found in -f',
    ],
    [
      HPA_V2.replace('maxReplicas: 10', 'maxReplicas: 0'),
      'the HorizontalPodAutoscaler is invalid: spec.maxReplicas',
    ],
    [
      HPA_V2.replace('autoscaling/v2', 'autoscaling/v9'),
      'unsupported HorizontalPodAutoscaler apiVersion "autoscaling/v9"',
    ],
  ])('rejects bad manifests (%#)', (text, message) => {
    expect(() => loadManifests(text)).toThrow(message);
  });
});

describe('simulationConfig', () => {
  it('applies defaults: 15 s sync, 30 s pod readiness, the controller flags', () => {
    const cfg = simulationConfig(['-f', 'hpa.yaml', '--trace', 'load.csv'], files());
    expect([cfg.syncPeriodMs, cfg.podReadyDelayMs, cfg.initialReplicas, cfg.durationMs]).toEqual([
      15_000,
      30_000,
      3,
      undefined,
    ]);
    expect(cfg.options).toEqual({
      tolerance: 0.1,
      cpuInitializationPeriodMs: 300_000,
      initialReadinessDelayMs: 30_000,
      downscaleStabilizationWindowMs: 300_000,
    });
  });

  it('reads short and kube-controller-manager flag names', () => {
    const cfg = simulationConfig(
      [
        '-f',
        'hpa.yaml',
        '--trace',
        'load.csv',
        '--sync-period',
        '30s',
        '--pod-ready-delay',
        '1m',
        '--horizontal-pod-autoscaler-tolerance',
        '0.05',
        '--downscale-stabilization',
        '0',
        '--horizontal-pod-autoscaler-cpu-initialization-period',
        '2m',
        '--initial-readiness-delay',
        '10s',
        '--replicas',
        '5',
        '--duration',
        '10m',
      ],
      files(),
    );
    expect([cfg.syncPeriodMs, cfg.podReadyDelayMs, cfg.initialReplicas, cfg.durationMs]).toEqual([
      30_000, 60_000, 5, 600_000,
    ]);
    expect(cfg.options).toEqual({
      tolerance: 0.05,
      cpuInitializationPeriodMs: 120_000,
      initialReadinessDelayMs: 10_000,
      downscaleStabilizationWindowMs: 0,
    });
  });

  it.each([
    [['--trace', 'load.csv'], 'hpa simulate needs -f HPA.yaml and --trace LOAD.csv'],
    [
      ['-f', 'hpa-only.yaml', '--trace', 'load.csv'],
      "a utilization target needs the pods' requests",
    ],
    [
      ['-f', 'hpa.yaml', '--trace', 'load.csv', '--sync-period', 'soon'],
      'invalid --sync-period "soon"',
    ],
    [['-f', 'hpa.yaml', '--trace', 'load.csv', '--replicas', 'two'], 'invalid --replicas "two"'],
    [['-f', 'hpa.yaml', '--trace', 'bad.csv'], 'line 1: unknown column "load"'],
  ])('rejects %j', (args, message) => {
    expect(() =>
      simulationConfig(args, files({ 'hpa-only.yaml': HPA_V2, 'bad.csv': 'time,load\n0,1' })),
    ).toThrow(message);
  });

  it('uses --request when -f has no target workload', () => {
    const cfg = simulationConfig(
      ['-f', 'hpa-only.yaml', '--trace', 'load.csv', '--request', '250m'],
      files({ 'hpa-only.yaml': HPA_V2 }),
    );
    expect([cfg.requestMilli, cfg.initialReplicas]).toEqual([250n, 2]);
  });
});

describe('kubeproc hpa', () => {
  it('prints the replicas over time', async () => {
    const out = capture();
    expect(await hpa(['simulate', '-f', 'hpa.yaml', '--trace', 'load.csv'], out, files())).toBe(0);
    expect(out.lines).toEqual([
      'TIME   LOAD   PODS   READY   METRICS   REPLICAS   NOTE',
      '0      1      3      3       66%       4          New size: 4; reason: cpu resource utilization (percentage of request) above target',
      '15     1      4      3       66%       4',
      '30     3      4      4       150%      8          New size: 8; reason: cpu resource utilization (percentage of request) above target',
    ]);
  });

  it('prints CSV with -o csv', async () => {
    const out = capture();
    await hpa(
      ['simulate', '-f', 'hpa.yaml', '--trace', 'load.csv', '-o', 'csv', '--duration', '0s'],
      out,
      files(),
    );
    expect(out.lines).toEqual([
      'time,load,pods,ready,metrics,replicas,note',
      '0,1,3,3,66%,4,New size: 4; reason: cpu resource utilization (percentage of request) above target',
    ]);
  });

  it('prints usage for help, exit 2 without a subcommand', async () => {
    const out = capture();
    expect(await hpa(['simulate', '--help'], out, files())).toBe(0);
    expect(out.lines[0]).toContain('Usage: kubeproc hpa simulate');
    expect(await hpa([], capture(), files())).toBe(2);
  });

  it.each([
    [['scale'], 'unknown hpa command "scale"; expected simulate'],
    [
      ['simulate', '-f', 'hpa.yaml', '--trace', 'load.csv', '-o', 'yaml'],
      'invalid --output "yaml": expected table or csv',
    ],
  ])('rejects %j', async (args, message) => {
    await expect(hpa(args, capture(), files())).rejects.toThrow(message);
  });
});
