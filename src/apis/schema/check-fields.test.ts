// Tests: Unknown-field and decode-error detection against client-node schemas, with Kubernetes' texts.
import { describe, expect, it } from 'vitest';
import { createSchemaRegistry } from './registry.js';

const registry = createSchemaRegistry();
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

function deployment(
  spec: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', 'example.com/anything': 'x' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: { 'any/key': 'v' } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
      ...spec,
    },
    ...extra,
  };
}

describe('unknown fields', () => {
  it('accepts a valid object, including arbitrary map keys (labels, annotations, selectors)', () => {
    expect(registry.checkFields(DEPLOYMENT, deployment())).toEqual({
      unknownFields: [],
      typeErrors: [],
    });
  });

  it.each([
    ['top level', { bogus: 1 }, ['bogus']],
    ['metadata', { metadata: { name: 'x', bogus: 1 } }, ['metadata.bogus']],
    ['status', { status: { replicas: 1, bogus: 1 } }, ['status.bogus']],
    ['field names are case-sensitive', { spec: { Replicas: 1 } }, ['spec.Replicas']],
  ])('reports %s', (_name, patch, expected) => {
    const obj = { ...(deployment() as object), ...patch };
    expect(registry.checkFields(DEPLOYMENT, obj).unknownFields).toEqual(expected);
  });

  it('reports unknown fields at several depths in document order, with list indexes', () => {
    const obj = deployment({
      bogusField: true,
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'x' },
            { name: 'b', image: 'y', imagePullPolcy: 'Always', env: [{ name: 'E', valu: '1' }] },
          ],
        },
      },
    });
    // `template` keeps its place from deployment(); `bogusField` comes after it.
    expect(registry.checkFields(DEPLOYMENT, obj).unknownFields).toEqual([
      'spec.template.spec.containers[1].imagePullPolcy',
      'spec.template.spec.containers[1].env[0].valu',
      'spec.bogusField',
    ]);
  });

  it('does not look inside an unknown field or inside free-form fields', () => {
    const obj = { ...(deployment() as object), extra: { deeper: { x: 1 } } };
    expect(registry.checkFields(DEPLOYMENT, obj).unknownFields).toEqual(['extra']);
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', data: { any: { x: 1 } } };
    const kind = { group: 'apps', version: 'v1', kind: 'ControllerRevision' };
    expect(registry.checkFields(kind, revision).unknownFields).toEqual([]);
  });

  it('uses map keys in paths when a map holds structs', () => {
    const crd = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
    const obj = {
      spec: {
        versions: [
          {
            name: 'v1',
            schema: { openAPIV3Schema: { properties: { size: { type: 'string', bad: 1 } } } },
          },
        ],
      },
    };
    expect(registry.checkFields(crd, obj).unknownFields).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties.size.bad',
    ]);
  });

  it('keeps unknown fields of kinds without a client-node model but checks their metadata', () => {
    const kind = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' };
    const obj = { metadata: { name: 'p', bogus: 1 }, containers: [{ anything: 1 }], window: '30s' };
    expect(registry.checkFields(kind, obj)).toEqual({
      unknownFields: ['metadata.bogus'],
      typeErrors: [],
    });
    expect(registry.hasKnownSchema(kind)).toBe(false);
    expect(registry.hasKnownSchema(DEPLOYMENT)).toBe(true);
  });

  it('finds core kinds that client-node prefixes with their group', () => {
    const coreEvent = { group: '', version: 'v1', kind: 'Event' };
    const newEvent = { group: 'events.k8s.io', version: 'v1', kind: 'Event' };
    expect(
      registry.checkFields(coreEvent, { involvedObject: {}, note: 'x' }).unknownFields,
    ).toEqual(['note']);
    expect(registry.checkFields(newEvent, { involvedObject: {}, note: 'x' }).unknownFields).toEqual(
      ['involvedObject'],
    );
  });
});

const typeCases: [string, unknown, string][] = [
  [
    'string for int32',
    deployment({ replicas: '3' }),
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  ],
  [
    'fraction for int32',
    deployment({ replicas: 1.5 }),
    'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
  ],
  [
    'overflowing int32',
    deployment({ replicas: 2 ** 31 }),
    'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
  ],
  [
    'string for bool',
    deployment({ paused: 'true' }),
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool',
  ],
  [
    'array for a struct',
    deployment({ strategy: [] }),
    'json: cannot unmarshal array into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy',
  ],
  [
    'string for the spec',
    { kind: 'Deployment', spec: 'x' },
    'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec',
  ],
  [
    'string for a list',
    deployment({ template: { spec: { containers: 'web' } } }),
    'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
  ],
  [
    'string for a list item',
    deployment({ template: { spec: { containers: ['web'] } } }),
    'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container',
  ],
  [
    'number for a string in a list item',
    deployment({ template: { spec: { containers: [{ name: 'a', image: 5 }] } } }),
    'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
  ],
  [
    'number for a label value',
    { metadata: { labels: { app: 1 } } },
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  ],
  [
    'string for labels',
    { metadata: { labels: 'app=web' } },
    'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string',
  ],
  [
    'bool for an IntOrString',
    deployment({ strategy: { rollingUpdate: { maxSurge: true } } }),
    'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
  ],
  [
    'string for a ResourceList',
    deployment({
      template: { spec: { containers: [{ name: 'a', resources: { limits: 'big' } }] } },
    }),
    'json: cannot unmarshal string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList',
  ],
  [
    'malformed Quantity',
    deployment({
      template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] } },
    }),
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  ],
  [
    'bool for a Quantity',
    deployment({
      template: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: true } } }] } },
    }),
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  ],
  [
    'number for a Time',
    { metadata: { creationTimestamp: 5 } },
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
  ],
  [
    'malformed Time',
    { metadata: { creationTimestamp: 'yesterday' } },
    'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
  ],
  ['not an object', ['x'], 'json: cannot unmarshal array into Go value of type v1.Deployment'],
];

describe('type errors', () => {
  it.each(typeCases)('reports %s as Kubernetes does', (_name, obj, message) => {
    expect(registry.checkFields(DEPLOYMENT, obj).typeErrors[0]).toBe(message);
  });

  it('reports base64 errors in Secret data', () => {
    const secret = { group: '', version: 'v1', kind: 'Secret' };
    expect(registry.checkFields(secret, { data: { password: 'hunter2' } }).typeErrors).toEqual([
      'illegal base64 data at input byte 4',
    ]);
    expect(registry.checkFields(secret, { data: { password: 'aHVudGVyMg==' } }).typeErrors).toEqual(
      [],
    );
  });

  it.each([
    ['null anywhere', deployment({ replicas: null, strategy: null, template: null })],
    [
      'IntOrString as number or string',
      deployment({ strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } }),
    ],
    [
      'Quantity as number or string',
      deployment({
        template: {
          spec: {
            containers: [
              {
                name: 'a',
                resources: { limits: { cpu: 1, memory: '128Mi' }, requests: { cpu: 0.5 } },
              },
            ],
          },
        },
      }),
    ],
    ['timestamps', { metadata: { creationTimestamp: '2024-02-29T10:00:00Z' } }],
  ])('accepts %s', (_name, obj) => {
    expect(registry.checkFields(DEPLOYMENT, obj).typeErrors).toEqual([]);
  });

  it('puts the error that stops decoding first, as Kubernetes reports it', () => {
    const obj = {
      spec: { replicas: 'x', template: { metadata: { creationTimestamp: 'never' } } },
    };
    expect(registry.checkFields(DEPLOYMENT, obj).typeErrors).toEqual([
      'parsing time "never" as "2006-01-02T15:04:05Z07:00": cannot parse "never" as "2006"',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  });

  it('checks Service ports (int32 port, IntOrString targetPort)', () => {
    const svc = { group: '', version: 'v1', kind: 'Service' };
    const ok = {
      spec: {
        ports: [
          { port: 80, targetPort: 'http' },
          { port: 81, targetPort: 8081 },
        ],
      },
    };
    expect(registry.checkFields(svc, ok).typeErrors).toEqual([]);
    expect(registry.checkFields(svc, { spec: { ports: [{ port: '80' }] } }).typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
    ]);
  });

  it('walks Pods too', () => {
    expect(
      registry.checkFields(POD, { spec: { containers: [{ name: 'a', bogus: 1 }] } }).unknownFields,
    ).toEqual(['spec.containers[0].bogus']);
    expect(
      registry.checkFields(POD, { spec: { activeDeadlineSeconds: 'soon' } }).typeErrors,
    ).toEqual([
      'json: cannot unmarshal string into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64',
    ]);
  });
});

describe('pruning', () => {
  it('removes unknown fields in place when asked, and only then', () => {
    const obj = deployment({
      bogusField: 1,
      template: { spec: { containers: [{ name: 'a', x: 1 }] } },
    });
    const before = JSON.stringify(obj);
    registry.checkFields(DEPLOYMENT, obj);
    expect(JSON.stringify(obj)).toBe(before);
    const result = registry.checkFields(DEPLOYMENT, obj, { pruneUnknownFields: true });
    expect(result.unknownFields).toEqual(['spec.template.spec.containers[0].x', 'spec.bogusField']);
    expect(obj).toMatchObject({ spec: { template: { spec: { containers: [{ name: 'a' }] } } } });
    expect(registry.checkFields(DEPLOYMENT, obj).unknownFields).toEqual([]);
  });

  it('keeps fields of permissive kinds', () => {
    const kind = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' };
    const obj = { metadata: { name: 'p' }, containers: [] };
    registry.checkFields(kind, obj, { pruneUnknownFields: true });
    expect(obj).toEqual({ metadata: { name: 'p' }, containers: [] });
  });
});

describe('hostile input', () => {
  it('handles deep nesting without recursion limits', () => {
    let inner: unknown = { bogus: 1 };
    for (let i = 0; i < 20_000; i++) {
      inner = { properties: { p: inner } };
    }
    const crd = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
    const obj = { spec: { versions: [{ schema: { openAPIV3Schema: inner } }] } };
    const result = registry.checkFields(crd, obj);
    expect(result.unknownFields).toHaveLength(1);
    expect(result.unknownFields[0]).toMatch(/\.properties\.p\.bogus$/);
  });

  it('reports at most 100 unknown fields', () => {
    const obj = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]));
    expect(registry.checkFields(DEPLOYMENT, obj).unknownFields).toHaveLength(100);
  });
});
