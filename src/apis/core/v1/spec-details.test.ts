// Finer PodSpec rules: volume sources, env sources, sidecars, security context ids, DNS, and
// the PodTemplate kind.
import { describe, expect, it } from 'vitest';
import { validatePodSpec } from './pod-validation.js';
import { defaultPodSpec } from './defaults.js';
import { coreV1Strategies } from './strategies.js';
import type { PodSpec } from './types.js';

function spec(extra: Partial<PodSpec> = {}, container: Record<string, unknown> = {}): PodSpec {
  const s: PodSpec = { containers: [{ name: 'c', image: 'i', ...container }], ...extra };
  defaultPodSpec(s);
  return s;
}

const check = (s: PodSpec): string[] =>
  validatePodSpec(s, 'spec').map((e) => `${e.field}: ${e.detail}`);

describe('volumes', () => {
  it.each<[string, PodSpec['volumes'], string[]]>([
    [
      'configMap without name',
      [{ name: 'v', configMap: {} }],
      ['spec.volumes[0].configMap.name: Required value'],
    ],
    [
      'secret without name',
      [{ name: 'v', secret: {} }],
      ['spec.volumes[0].secret.secretName: Required value'],
    ],
    [
      'file mode',
      [{ name: 'v', configMap: { name: 'c', defaultMode: 0o1000 } }],
      [
        'spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    ],
    [
      'item path with ..',
      [{ name: 'v', configMap: { name: 'c', items: [{ key: 'k', path: '../x' }] } }],
      ['spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not contain \'..\''],
    ],
    [
      'hostPath type',
      [{ name: 'v', hostPath: { path: '/tmp', type: 'Dir' } }],
      [
        'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      'pvc without claim',
      [{ name: 'v', persistentVolumeClaim: {} }],
      ['spec.volumes[0].persistentVolumeClaim.claimName: Required value'],
    ],
    [
      'downwardAPI mis-spelt path upstream reports',
      [{ name: 'v', secret: { secretName: 's' }, downwardAPI: { items: [] } }],
      ['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'bad name',
      [{ name: 'V', emptyDir: {} }],
      [
        "spec.volumes[0].name: Invalid value: \"V\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
  ])('%s', (_n, volumes, expected) => {
    expect(check(spec({ volumes }))).toEqual(expected);
  });
});

describe('env sources', () => {
  it.each<[string, unknown, string[]]>([
    [
      'label subscript',
      [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }],
      [],
    ],
    [
      'other subscript',
      [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "spec.x['y']" } } }],
      [
        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.x['y']\": error converting fieldPath: field label does not support subscript: spec.x['y']",
      ],
    ],
    [
      'wrong apiVersion',
      [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }],
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2',
      ],
    ],
    [
      'no source',
      [{ name: 'A', valueFrom: {} }],
      [
        'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ],
    ],
    [
      'resource field',
      [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }],
      [
        'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
      ],
    ],
    [
      'missing key',
      [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm' } } }],
      ['spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value'],
    ],
  ])('%s', (_n, env, expected) => {
    expect(check(spec({}, { env }))).toEqual(expected);
  });

  it('checks envFrom at the list path', () => {
    expect(check(spec({}, { envFrom: [{ prefix: 'P_' }] }))).toEqual([
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
    expect(check(spec({}, { envFrom: [{ configMapRef: {} }] }))).toEqual([
      'spec.containers[0].envFrom[0].configMapRef.name: Required value',
    ]);
  });
});

describe('pod-level fields', () => {
  it('allows probes on sidecar init containers only', () => {
    const probe = { exec: { command: ['true'] } };
    const init = { name: 'side', image: 'i', restartPolicy: 'Always', readinessProbe: probe };
    expect(check(spec({ initContainers: [init] }))).toEqual([]);
    expect(check(spec({ initContainers: [{ ...init, restartPolicy: 'OnFailure' }] }))).toEqual([
      'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('rejects an init container named like a container', () => {
    expect(check(spec({ initContainers: [{ name: 'c', image: 'i' }] }))).toEqual([
      'spec.initContainers[0].name: Duplicate value: "c"',
    ]);
  });

  it.each<[string, Partial<PodSpec>, Record<string, unknown>, string[]]>([
    [
      'negative runAsUser',
      { securityContext: { runAsUser: -1 } },
      {},
      [
        'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      ],
    ],
    [
      'container runAsGroup',
      {},
      { securityContext: { runAsGroup: -5 } },
      [
        'spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive',
      ],
    ],
    [
      'dnsPolicy None',
      { dnsPolicy: 'None' },
      {},
      ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    ],
    [
      'dnsPolicy',
      { dnsPolicy: 'Cluster' },
      {},
      [
        'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      'hostname',
      { hostname: 'a.b' },
      {},
      ['spec.hostname: Invalid value: "a.b": must not contain dots'],
    ],
    [
      'preemptionPolicy',
      { preemptionPolicy: 'Sometimes' },
      {},
      [
        'spec.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
      ],
    ],
    [
      'sleep hook longer than grace',
      {},
      { lifecycle: { preStop: { sleep: { seconds: 60 } } } },
      [
        'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30)',
      ],
    ],
  ])('%s', (_n, extra, container, expected) => {
    expect(check(spec(extra, container))).toEqual(expected);
  });
});

describe('PodTemplate', () => {
  it('defaults and validates the template', () => {
    const strategy = coreV1Strategies.PodTemplate!;
    const obj = {
      metadata: { name: 't', namespace: 'x' },
      template: { spec: { containers: [{ name: 'c' }] } },
    };
    strategy.default!(obj);
    expect(strategy.validate!(obj).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'template.spec.containers[0].image: Required value',
    ]);
  });
});

describe('PodTemplate without a template', () => {
  it('gets one created by defaulting', () => {
    const obj: Record<string, unknown> & { metadata: object } = {
      metadata: { name: 't', namespace: 'x' },
    };
    coreV1Strategies.PodTemplate!.default!(obj);
    expect(obj.template).toMatchObject({ spec: { restartPolicy: 'Always' } });
  });
});
