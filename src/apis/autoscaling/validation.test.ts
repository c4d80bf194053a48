import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { hpaStrategy } from './strategies.js';
import { validateHorizontalPodAutoscalerStatus } from './validation.js';

const strategy = hpaStrategy();

function hpa(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      ...spec,
    },
  };
}

const cpu = (target: Record<string, unknown>) => ({
  type: 'Resource',
  resource: { name: 'cpu', target },
});

function errors(spec: Record<string, unknown>): [string, string][] {
  return (strategy.validate?.(hpa(spec)) ?? []).map((e) => [e.field, e.detail]);
}

describe('HorizontalPodAutoscaler validation', () => {
  it.each<[string, Record<string, unknown>, [string, string][]]>([
    ['a valid spec', { metrics: [cpu({ type: 'Utilization', averageUtilization: 50 })] }, []],
    [
      'minReplicas 0',
      { minReplicas: 0 },
      [
        ['spec.minReplicas', 'Invalid value: 0: must be greater than or equal to 1'],
        [
          'spec.metrics',
          'Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
        ],
      ],
    ],
    [
      'maxReplicas below minReplicas',
      { minReplicas: 3, maxReplicas: 2 },
      [['spec.maxReplicas', 'Invalid value: 2: must be greater than or equal to `minReplicas`']],
    ],
    [
      'maxReplicas 0',
      { maxReplicas: 0 },
      [
        ['spec.maxReplicas', 'Invalid value: 0: must be greater than 0'],
        ['spec.maxReplicas', 'Invalid value: 0: must be greater than or equal to `minReplicas`'],
      ],
    ],
    [
      'an empty scaleTargetRef',
      { scaleTargetRef: {} },
      [
        ['spec.scaleTargetRef.kind', 'Required value'],
        ['spec.scaleTargetRef.name', 'Required value'],
      ],
    ],
    [
      'a scaleTargetRef name with a slash',
      { scaleTargetRef: { kind: 'Deployment', name: 'a/b' } },
      [['spec.scaleTargetRef.name', `Invalid value: "a/b": may not contain '/'`]],
    ],
    [
      'averageUtilization 0',
      { metrics: [cpu({ type: 'Utilization', averageUtilization: 0 })] },
      [
        [
          'spec.metrics[0].resource.target.averageUtilization',
          'Invalid value: 0: must be greater than 0',
        ],
      ],
    ],
    [
      'a bad target type',
      { metrics: [cpu({ type: 'Percent', averageUtilization: 5 })] },
      [
        [
          'spec.metrics[0].resource.target.type',
          'Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
        ],
      ],
    ],
    [
      'a resource target without values',
      { metrics: [cpu({ type: 'Utilization' })] },
      [
        [
          'spec.metrics[0].resource.target.averageUtilization',
          'Required value: must set either a target raw value or a target utilization',
        ],
      ],
    ],
    [
      'both utilization and value',
      { metrics: [cpu({ type: 'Utilization', averageUtilization: 5, averageValue: '100m' })] },
      [
        [
          'spec.metrics[0].resource.target.averageValue',
          'Forbidden: may not set both a target raw value and a target utilization',
        ],
      ],
    ],
    [
      'a non-positive averageValue',
      { metrics: [cpu({ type: 'AverageValue', averageValue: '-1' })] },
      [
        [
          'spec.metrics[0].resource.target.averageValue',
          'Invalid value: resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1", Format:"DecimalSI"}: must be positive',
        ],
      ],
    ],
    [
      'an unknown metric type',
      { metrics: [{ type: 'Magic' }] },
      [
        [
          'spec.metrics[0].type',
          'Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
        ],
        [
          'spec.metrics[0].type',
          'Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
        ],
      ],
    ],
    [
      'a type without its source',
      { metrics: [{ type: 'Pods' }] },
      [
        [
          'spec.metrics[0].pods',
          'Required value: must populate information for the given metric source',
        ],
      ],
    ],
    [
      'two sources',
      {
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 5 } },
            pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } },
          },
        ],
      },
      [['spec.metrics[0].pods', 'Forbidden: must populate the given metric source only']],
    ],
    [
      'an Object metric without target values or name',
      {
        metrics: [
          {
            type: 'Object',
            object: {
              describedObject: { kind: 'Service', name: 'x' },
              metric: {},
              target: { type: 'Value' },
            },
          },
        ],
      },
      [
        ['spec.metrics[0].object.metric.name', 'Required value: must specify a metric name'],
        [
          'spec.metrics[0].object.target.averageValue',
          'Required value: must set either a target value or averageValue',
        ],
      ],
    ],
    [
      'an External metric with both targets',
      {
        metrics: [
          {
            type: 'External',
            external: {
              metric: { name: 'q' },
              target: { type: 'Value', value: '1', averageValue: '2' },
            },
          },
        ],
      },
      [
        [
          'spec.metrics[0].external.target.value',
          'Forbidden: may not set both a target value for metric and a per-pod target',
        ],
      ],
    ],
    [
      'a Pods metric without averageValue',
      {
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue' } } },
        ],
      },
      [
        [
          'spec.metrics[0].pods.target.averageValue',
          'Required value: must specify a positive target averageValue',
        ],
      ],
    ],
    [
      'a ContainerResource metric without a container',
      {
        metrics: [
          {
            type: 'ContainerResource',
            containerResource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 5 },
            },
          },
        ],
      },
      [['spec.metrics[0].containerResource.container', 'Required value: must specify a container']],
    ],
    [
      'bad behavior rules',
      {
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Most', policies: [] },
          scaleDown: { policies: [{ type: 'Nodes', value: 0, periodSeconds: 1801 }] },
        },
      },
      [
        [
          'spec.behavior.scaleUp.stabilizationWindowSeconds',
          'Invalid value: 3601: must be less than or equal to 3600',
        ],
        [
          'spec.behavior.scaleUp.selectPolicy',
          'Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
        ],
        ['spec.behavior.scaleUp.policies', 'Required value: must specify at least one Policy'],
        [
          'spec.behavior.scaleDown.policies[0].type',
          'Unsupported value: "Nodes": supported values: "Percent", "Pods"',
        ],
        [
          'spec.behavior.scaleDown.policies[0].value',
          'Invalid value: 0: must be greater than zero',
        ],
        [
          'spec.behavior.scaleDown.policies[0].periodSeconds',
          'Invalid value: 1801: must be less than or equal to 1800',
        ],
      ],
    ],
    [
      'a negative stabilization window',
      {
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: -1,
            policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }],
          },
        },
      },
      [
        [
          'spec.behavior.scaleDown.stabilizationWindowSeconds',
          'Invalid value: -1: must be greater than or equal to zero',
        ],
        [
          'spec.behavior.scaleDown.policies[0].periodSeconds',
          'Invalid value: 0: must be greater than zero',
        ],
      ],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(errors(spec)).toEqual(expected);
  });

  it('allows minReplicas 0 with HPAScaleToZero only alongside an Object or External metric', () => {
    const gated = hpaStrategy({ scaleToZero: true });
    const withCpu = hpa({
      minReplicas: 0,
      metrics: [cpu({ type: 'Utilization', averageUtilization: 5 })],
    });
    expect(gated.validate?.(withCpu).map((e) => [e.field, e.detail])).toEqual([
      [
        'spec.metrics',
        'Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
      ],
    ]);
    const withExternal = hpa({
      minReplicas: 0,
      metrics: [
        {
          type: 'External',
          external: { metric: { name: 'q' }, target: { type: 'Value', value: '3' } },
        },
      ],
    });
    expect(gated.validate?.(withExternal)).toEqual([]);
  });

  it('reports field error types the Status causes carry', () => {
    expect(strategy.validate?.(hpa({ minReplicas: -1, scaleTargetRef: { name: 'x' } }))).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.minReplicas',
        detail: 'Invalid value: -1: must be greater than or equal to 1',
      },
      { type: 'FieldValueRequired', field: 'spec.scaleTargetRef.kind', detail: 'Required value' },
    ]);
  });

  it('rejects negative status counters', () => {
    expect(
      validateHorizontalPodAutoscalerStatus({ currentReplicas: -1, desiredReplicas: 2 }),
    ).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'status.currentReplicas',
        detail: 'Invalid value: -1: must be greater than or equal to 0',
      },
    ]);
  });
});

describe('HorizontalPodAutoscaler defaulting', () => {
  it('fills behavior rules only where the user left them unset', () => {
    const obj = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    strategy.default?.(obj);
    expect((obj.spec as { behavior: unknown }).behavior).toEqual({
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
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  it('leaves behavior absent and keeps user metrics', () => {
    const metrics = [cpu({ type: 'AverageValue', averageValue: '200m' })];
    const obj = hpa({ minReplicas: undefined, metrics });
    strategy.default?.(obj);
    expect(obj.spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics,
    });
  });

  it('stores metric quantities in canonical form', () => {
    const obj = hpa({
      metrics: [
        cpu({ type: 'AverageValue', averageValue: '0.5' }),
        {
          type: 'Object',
          object: {
            describedObject: { kind: 'Service', name: 'x' },
            metric: { name: 'hits' },
            target: { type: 'Value', value: 100 },
          },
        },
      ],
    });
    strategy.default?.(obj);
    const metrics = (
      obj.spec as { metrics: { resource?: { target: unknown }; object?: { target: unknown } }[] }
    ).metrics;
    expect(metrics[0]?.resource?.target).toEqual({ type: 'AverageValue', averageValue: '500m' });
    expect(metrics[1]?.object?.target).toEqual({ type: 'Value', value: '100' });
  });
});
