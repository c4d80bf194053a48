import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { apiServiceStrategy } from './strategy.js';

const apiService = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { groupPriorityMinimum: 100, versionPriority: 10, ...spec },
});

/** Defaults, then validates, as the API server does on create. */
function errors(obj: KubeObject): string[] {
  apiServiceStrategy.default?.(obj);
  return (apiServiceStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.detail}`);
}

const SERVICE = { namespace: 'kube-system', name: 'metrics-server' };

describe('APIService defaulting', () => {
  it('marks a Local APIService Available as kube-aggregator does on create', () => {
    const obj = apiService('v1.apps', { group: 'apps', version: 'v1' });
    apiServiceStrategy.default?.(obj);
    expect(obj.status).toEqual({
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          reason: 'Local',
          message: 'Local APIServices are always available',
        },
      ],
    });
  });

  it('defaults the service port to 443 and leaves a service-backed status alone', () => {
    const obj = apiService('v1beta1.metrics.k8s.io', {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { ...SERVICE },
    });
    apiServiceStrategy.default?.(obj);
    expect((obj.spec as { service: unknown }).service).toEqual({ ...SERVICE, port: 443 });
    expect(obj.status).toBeUndefined();
  });

  it('keeps an existing Available condition', () => {
    const obj = apiService('v1.apps', { group: 'apps', version: 'v1' });
    const condition = { type: 'Available', status: 'False', reason: 'Down' };
    obj.status = { conditions: [condition] };
    apiServiceStrategy.default?.(obj);
    expect(obj.status).toEqual({ conditions: [condition] });
  });
});

describe('APIService validation', () => {
  it.each<[string, KubeObject, string[]]>([
    ['a Local built-in', apiService('v1.apps', { group: 'apps', version: 'v1' }), []],
    ['the legacy group', apiService('v1.', { group: '', version: 'v1' }), []],
    [
      'the metrics one',
      apiService('v1beta1.metrics.k8s.io', {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: SERVICE,
        insecureSkipTLSVerify: true,
      }),
      [],
    ],
    [
      'a name that is not version.group',
      apiService('apps', { group: 'apps', version: 'v1' }),
      ['metadata.name: Invalid value: "apps": must be `spec.version+"."+spec.group`: "v1.apps"'],
    ],
    [
      'an empty group off v1',
      apiService('v2.', { group: '', version: 'v2' }),
      ['spec.group: Required value: only v1 may have an empty group and it better be legacy kube'],
    ],
    [
      'priorities out of range',
      apiService('v1.apps', {
        group: 'apps',
        version: 'v1',
        groupPriorityMinimum: 20001,
        versionPriority: 0,
      }),
      [
        'spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000',
        'spec.versionPriority: Invalid value: 0: must be positive and less than 1000',
      ],
    ],
    [
      'TLS settings on a Local APIService',
      apiService('v1.apps', {
        group: 'apps',
        version: 'v1',
        caBundle: Buffer.from('0123456789').toString('base64'),
        insecureSkipTLSVerify: true,
      }),
      [
        'spec.caBundle: Invalid value: "10 bytes": local APIServices may not have a caBundle',
        'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify',
      ],
    ],
    [
      'a service without name and namespace, both TLS settings',
      apiService('v1.foo.io', {
        group: 'foo.io',
        version: 'v1',
        service: {},
        caBundle: 'YWJj',
        insecureSkipTLSVerify: true,
      }),
      [
        'spec.service.namespace: Required value',
        'spec.service.name: Required value',
        'spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present',
      ],
    ],
  ])('%s', (_name, obj, expected) => {
    expect(errors(obj)).toEqual(expected);
  });

  it('checks condition statuses', () => {
    const obj = apiService('v1.apps', { group: 'apps', version: 'v1' });
    obj.status = { conditions: [{ type: 'Available', status: 'Maybe' }] };
    expect(errors(obj)).toEqual([
      'status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"',
    ]);
  });
});
