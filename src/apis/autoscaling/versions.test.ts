import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import type { VersionInfo } from '../resource-type.js';
import { autoscalingStrategies } from './strategies.js';
import { hpaVersions } from './versions.js';

const strategy = autoscalingStrategies.HorizontalPodAutoscaler!;

function version(v: string): Required<Pick<VersionInfo, 'toStorage' | 'fromStorage'>> {
  const info = hpaVersions.find((x) => x.version === v);
  if (!info) {
    throw new Error(`no version ${v}`);
  }
  const missing = (): never => {
    throw new Error(`no conversion for ${v}`);
  };
  return {
    toStorage: (o) => info.toStorage?.(o) ?? missing(),
    fromStorage: (o) => info.fromStorage?.(o) ?? missing(),
  };
}

const v1 = version('v1');
const v2beta1 = version('v2beta1');
const v2beta2 = version('v2beta2');
const v2 = version('v2');

/** What the API server does on write: convert, default, validate. */
function admit(obj: KubeObject, via = v1): KubeObject {
  const stored = via.toStorage(obj);
  strategy.default?.(stored);
  expect(strategy.validate?.(stored)).toEqual([]);
  return stored;
}

const target = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const cpu = (n: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: n } },
});

describe('hpaVersions', () => {
  it('lists v2, v1, v2beta2, v2beta1 with the Kubernetes deprecation warnings', () => {
    expect(hpaVersions.map((v) => v.version)).toEqual(['v2', 'v1', 'v2beta2', 'v2beta1']);
    expect(hpaVersions.map((v) => v.deprecationWarning)).toEqual([
      undefined,
      undefined,
      'autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler',
      'autoscaling/v2beta1 HorizontalPodAutoscaler is deprecated in v1.22+, unavailable in v1.25+; use autoscaling/v2 HorizontalPodAutoscaler',
    ]);
  });
});

describe('autoscaling/v1 conversion', () => {
  it('turns the kubectl 1.32 autoscale body into the defaulted v2 object', () => {
    const body = JSON.parse(
      '{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":50}}',
    ) as KubeObject;
    expect(admit(body)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 10, metrics: [cpu(50)] },
    });
  });

  it('defaults minReplicas and an 80% CPU target when v1 sets neither', () => {
    const stored = admit({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: target, maxReplicas: 3 },
    });
    expect(stored.spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [cpu(80)],
    });
  });

  it('round-trips v1 -> v2 -> v1, adding the current-metrics annotation as upstream does', () => {
    const original: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
      spec: {
        scaleTargetRef: target,
        minReplicas: 2,
        maxReplicas: 10,
        targetCPUUtilizationPercentage: 50,
      },
      status: {
        lastScaleTime: '2024-05-01T10:00:00Z',
        currentReplicas: 2,
        desiredReplicas: 3,
        currentCPUUtilizationPercentage: 72,
      },
    };
    const stored = v1.toStorage(original);
    expect(stored.status).toEqual({
      lastScaleTime: '2024-05-01T10:00:00Z',
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 72 } } },
      ],
    });
    const back = v1.fromStorage(stored);
    expect(back.spec).toEqual(original.spec);
    expect(back.status).toEqual(original.status);
    expect(back.metadata.annotations).toEqual({
      team: 'a',
      'autoscaling.alpha.kubernetes.io/current-metrics':
        '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":72,"currentAverageValue":"0"}}]',
    });
  });

  it('does not mutate its input', () => {
    const original: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[]' } },
      spec: { scaleTargetRef: target, maxReplicas: 3 },
    };
    const copy = structuredClone(original);
    v1.toStorage(original);
    v1.fromStorage(v2.toStorage(copy));
    expect(original).toEqual(copy);
  });
});

const richV2: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    scaleTargetRef: target,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      cpu(50),
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
      },
      {
        type: 'Object',
        object: {
          describedObject: { kind: 'Service', name: 'x', apiVersion: 'v1' },
          target: { type: 'Value', value: '100' },
          metric: { name: 'total_hit_count' },
        },
      },
    ],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      },
    },
  },
  status: {
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageValue: '144m', averageUtilization: 72 } },
      },
    ],
    conditions: [
      {
        type: 'AbleToScale',
        status: 'True',
        lastTransitionTime: '2024-05-01T10:00:00Z',
        reason: 'ReadyForNewScale',
        message: 'recommended size matches current size',
      },
    ],
  },
};

describe('autoscaling/v2 -> v1 -> v2', () => {
  const asV1 = v1.fromStorage(richV2);

  it('keeps the CPU target in the spec and the rest in annotations, byte for byte', () => {
    expect(asV1.apiVersion).toBe('autoscaling/v1');
    expect(asV1.spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 2,
      maxReplicas: 10,
      targetCPUUtilizationPercentage: 50,
    });
    expect(asV1.status).toEqual({
      currentReplicas: 2,
      desiredReplicas: 2,
      currentCPUUtilizationPercentage: 72,
    });
    expect(asV1.metadata.annotations).toEqual({
      'autoscaling.alpha.kubernetes.io/metrics':
        '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},{"type":"Object","object":{"target":{"kind":"Service","name":"x","apiVersion":"v1"},"metricName":"total_hit_count","targetValue":"100"}}]',
      'autoscaling.alpha.kubernetes.io/current-metrics':
        '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":72,"currentAverageValue":"144m"}}]',
      'autoscaling.alpha.kubernetes.io/behavior':
        '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}]},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":60}]}}',
      'autoscaling.alpha.kubernetes.io/conditions':
        '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-01T10:00:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]',
    });
  });

  it('restores every metric, the behavior, status metrics and conditions (CPU moves last)', () => {
    const back = v1.toStorage(asV1);
    const spec = richV2.spec as { metrics: unknown[] };
    expect(back).toEqual({
      ...richV2,
      spec: { ...spec, metrics: [spec.metrics[1], spec.metrics[2], spec.metrics[0]] },
    });
    expect(strategy.validate?.(back)).toEqual([]);
  });

  it('replaces client-supplied round-trip annotations on the way out', () => {
    const sneaky = structuredClone(richV2);
    sneaky.metadata.annotations = {
      'autoscaling.alpha.kubernetes.io/conditions': 'junk',
      keep: 'me',
    };
    (sneaky.status as { conditions?: unknown }).conditions = undefined;
    const out = v1.fromStorage(sneaky).metadata.annotations ?? {};
    expect(out.keep).toBe('me');
    expect(out['autoscaling.alpha.kubernetes.io/conditions']).toBeUndefined();
  });

  it.each([
    ['metrics', 'not json'],
    ['metrics', '{"a":1}'],
    ['behavior', '{"ScaleUp":"x"}'],
    ['behavior', '{}'],
    ['current-metrics', '[oops'],
  ])('ignores a malformed %s annotation', (name, value) => {
    const obj: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        annotations: { [`autoscaling.alpha.kubernetes.io/${name}`]: value },
      },
      spec: { scaleTargetRef: target, maxReplicas: 3, targetCPUUtilizationPercentage: 40 },
    };
    const stored = v1.toStorage(obj);
    expect(stored.metadata.annotations).toBeUndefined();
    expect(stored.spec).toEqual({ scaleTargetRef: target, maxReplicas: 3, metrics: [cpu(40)] });
    expect(stored.status).toBeUndefined();
  });

  it('reads the behavior annotation case-insensitively, as Go does', () => {
    const obj: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        annotations: {
          'autoscaling.alpha.kubernetes.io/behavior': '{"scaleDown":{"selectPolicy":"Disabled"}}',
        },
      },
      spec: { scaleTargetRef: target, maxReplicas: 3 },
    };
    const stored = admit(obj);
    expect((stored.spec as { behavior: unknown }).behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        selectPolicy: 'Disabled',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });
});

describe('autoscaling/v2beta1 conversion', () => {
  const seed: KubeObject = {
    apiVersion: 'autoscaling/v2beta1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Object',
          object: {
            target: { kind: 'Service', name: 'x' },
            metricName: 'total_hit_count',
            targetValue: 100,
          },
        },
        { type: 'Resource', resource: { name: 'memory', targetAverageUtilization: 60 } },
      ],
    },
  };

  it('turns the seed Object and memory metrics into their v2 form', () => {
    expect(admit(seed, v2beta1).spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Object',
          object: {
            describedObject: { kind: 'Service', name: 'x' },
            target: { type: 'Value', value: '100' },
            metric: { name: 'total_hit_count' },
          },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
  });

  it.each([
    [
      'external value',
      {
        type: 'External',
        external: {
          metricName: 'q',
          metricSelector: { matchLabels: { a: 'b' } },
          targetValue: '5',
        },
      },
      {
        type: 'External',
        external: {
          metric: { name: 'q', selector: { matchLabels: { a: 'b' } } },
          target: { type: 'Value', value: '5' },
        },
      },
    ],
    [
      'pods',
      { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
      {
        type: 'Pods',
        pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
      },
    ],
    [
      'container resource value',
      {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', targetAverageValue: '200m' },
      },
      {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'app',
          target: { type: 'AverageValue', averageValue: '200m' },
        },
      },
    ],
  ])('converts a %s metric', (_name, legacy, modern) => {
    const obj = { ...seed, spec: { scaleTargetRef: target, maxReplicas: 2, metrics: [legacy] } };
    expect((v2beta1.toStorage(obj).spec as { metrics: unknown[] }).metrics).toEqual([modern]);
    expect(
      (v2beta1.fromStorage(v2beta1.toStorage(obj)).spec as { metrics: unknown[] }).metrics,
    ).toEqual([legacy]);
  });

  it('round-trips a v2 object with behavior through v2beta1', () => {
    const asBeta = v2beta1.fromStorage(richV2);
    expect(asBeta.apiVersion).toBe('autoscaling/v2beta1');
    expect(Object.keys(asBeta.metadata.annotations ?? {})).toEqual([
      'autoscaling.alpha.kubernetes.io/behavior',
    ]);
    expect((asBeta.status as { conditions: unknown }).conditions).toEqual(
      (richV2.status as { conditions: unknown }).conditions,
    );
    expect(v2beta1.toStorage(asBeta)).toEqual(richV2);
  });
});

describe('autoscaling/v2 and v2beta2', () => {
  it.each([
    ['v2', v2, 'autoscaling/v2'],
    ['v2beta2', v2beta2, 'autoscaling/v2beta2'],
  ])('%s keeps the shape and drops round-trip annotations', (_v, conv, apiVersion) => {
    const obj = structuredClone(richV2);
    obj.metadata.annotations = { 'autoscaling.alpha.kubernetes.io/metrics': '[]', a: 'b' };
    const stored = conv.toStorage(obj);
    expect(stored).toEqual({
      ...richV2,
      metadata: { ...richV2.metadata, annotations: { a: 'b' } },
    });
    expect(conv.fromStorage(stored).apiVersion).toBe(apiVersion);
  });
});
