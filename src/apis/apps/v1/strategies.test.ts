// Deployment and ReplicaSet defaulting, validation and update rules.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../meta.js';
import type { Deployment, ReplicaSet } from './defaults.js';
import { appsV1Strategies } from './strategies.js';

const deployment = appsV1Strategies.Deployment!;
const replicaSet = appsV1Strategies.ReplicaSet!;
const msgs = (errs: { field: string; detail: string }[]): string[] =>
  errs.map((e) => `${e.field}: ${e.detail}`);

function validDeployment(): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'node:20', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
  deployment.default!(d);
  return d;
}

describe('Deployment defaults', () => {
  it('fills replicas, strategy, history, deadline and the template', () => {
    const spec = validDeployment().spec!;
    expect(spec).toMatchObject({
      replicas: 1,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(spec.template?.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(spec.template?.spec?.containers?.[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    // Pod-only defaults stay out of templates.
    expect(spec.template?.spec?.enableServiceLinks).toBeUndefined();
  });

  it('leaves rollingUpdate off a Recreate strategy', () => {
    const d: Deployment = { metadata: { name: 'x' }, spec: { strategy: { type: 'Recreate' } } };
    deployment.default!(d);
    expect(d.spec?.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('Deployment validation', () => {
  it('accepts a defaulted deployment', () => {
    expect(deployment.validate!(validDeployment())).toEqual([]);
  });

  it.each<[string, (d: Deployment) => void, string[]]>([
    [
      'negative replicas',
      (d) => (d.spec!.replicas = -1),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'missing selector',
      (d) => delete d.spec!.selector,
      [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'empty selector',
      (d) => (d.spec!.selector = {}),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    ],
    [
      'selector not matching',
      (d) => (d.spec!.template!.metadata!.labels = { app: 'x' }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'restartPolicy Never',
      (d) => (d.spec!.template!.spec!.restartPolicy = 'Never'),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'both zero',
      (d) => (d.spec!.strategy!.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
      ],
    ],
    [
      'bad percent',
      (d) => (d.spec!.strategy!.rollingUpdate!.maxSurge = '25'),
      [
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"25"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')`,
      ],
    ],
    [
      'over 100%',
      (d) => (d.spec!.strategy!.rollingUpdate!.maxUnavailable = '150%'),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    ],
    [
      'negative surge',
      (d) => (d.spec!.strategy!.rollingUpdate!.maxSurge = -1),
      [
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
      ],
    ],
    [
      'unknown strategy',
      (d) => (d.spec!.strategy = { type: 'BlueGreen' }),
      [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
      ],
    ],
    [
      'Recreate with rollingUpdate',
      (d) => (d.spec!.strategy!.type = 'Recreate'),
      [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
      ],
    ],
    [
      'deadline not above minReadySeconds',
      (d) => (d.spec!.minReadySeconds = 600),
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
    [
      'negative history',
      (d) => (d.spec!.revisionHistoryLimit = -2),
      ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
    ],
    [
      'template container image',
      (d) => delete d.spec!.template!.spec!.containers![0]!.image,
      ['spec.template.spec.containers[0].image: Required value'],
    ],
    [
      'invalid selector expression',
      (d) =>
        (d.spec!.selector = {
          matchExpressions: [{ key: 'app', operator: 'Is', values: ['web'] }],
        }),
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string{"web"}}}}: invalid label selector',
      ],
    ],
  ])('%s', (_n, mutate, expected) => {
    const d = validDeployment();
    mutate(d);
    expect(msgs(deployment.validate!(d))).toEqual(expected);
  });

  it('keeps the selector immutable on update', () => {
    const old = validDeployment();
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { app: 'web2' } };
    next.spec!.template!.metadata!.labels = { app: 'web2' };
    expect(msgs(deployment.validateUpdate!(next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('allows scaling and template changes on update', () => {
    const old = validDeployment();
    const next = structuredClone(old);
    next.spec!.replicas = 5;
    next.spec!.template!.spec!.containers![0]!.image = 'node:22';
    next.spec!.selector = { matchLabels: { app: 'web' }, matchExpressions: [] };
    expect(deployment.validateUpdate!(next, old)).toEqual([]);
  });

  it('warns about ignored template fields', () => {
    const d = validDeployment();
    d.spec!.template!.spec!.affinity = { podAntiAffinity: {} };
    expect(deployment.ignoredFields!(d)).toEqual(['spec.template.spec.affinity']);
  });
});

describe('ReplicaSet', () => {
  const rs = (): ReplicaSet => {
    const r: ReplicaSet = {
      metadata: { name: 'web-abc', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } },
        template: {
          metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
          spec: { containers: [{ name: 'web', image: 'node:20' }] },
        },
      },
    };
    replicaSet.default!(r);
    return r;
  };

  it('defaults replicas and validates', () => {
    const r = rs();
    expect(r.spec?.replicas).toBe(1);
    expect(replicaSet.validate!(r)).toEqual([]);
  });

  it('uses the deployment wording for an empty selector, as upstream does', () => {
    const r: KubeObject = rs();
    (r as ReplicaSet).spec!.selector = { matchLabels: {} };
    expect(msgs(replicaSet.validate!(r))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });

  it('forbids activeDeadlineSeconds in the template', () => {
    const r = rs();
    r.spec!.template!.spec!.activeDeadlineSeconds = 10;
    expect(msgs(replicaSet.validate!(r))).toEqual([
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });
});

describe('malformed objects', () => {
  it('are reported, not thrown', () => {
    const d = {
      metadata: { name: 'x', namespace: 'y' },
      spec: { template: { spec: { containers: 'nope' } } },
    };
    expect(() => deployment.default!(d)).not.toThrow();
    expect(deployment.validate!(d)).toEqual([
      expect.objectContaining({ type: 'FieldValueTypeInvalid', field: '' }),
    ]);
  });
});
