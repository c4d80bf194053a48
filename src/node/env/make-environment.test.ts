import { describe, expect, it } from 'vitest';
import type { Container, EnvVar, Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { makeEnvironment } from './index.js';
import { memoryEnvSources } from './memory-sources.js';

function service(namespace: string, name: string, clusterIP: string, port: number): KubeObject {
  return { metadata: { namespace, name }, spec: { clusterIP, ports: [{ port, protocol: 'TCP' }] } };
}

const node = {
  nodeName: 'node-name',
  hostIP: '10.0.0.5',
  podIP: '1.2.3.4',
  nodeAllocatable: { cpu: '2', memory: '24Gi' },
};
const sourcesWith = (services: KubeObject[] = []) => memoryEnvSources({ ...node, services });

function podWith(container: Container, namespace = 'test1', enableServiceLinks = false): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dapi-test-pod-name', namespace, uid: 'uid-1' },
    spec: {
      containers: [container],
      nodeName: 'node-name',
      serviceAccountName: 'special',
      enableServiceLinks,
    },
  };
}

const master = service('default', 'kubernetes', '1.2.3.1', 8081);
const masterEnv = {
  KUBERNETES_SERVICE_HOST: '1.2.3.1',
  KUBERNETES_SERVICE_PORT: '8081',
  KUBERNETES_PORT: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP: 'tcp://1.2.3.1:8081',
  KUBERNETES_PORT_8081_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_8081_TCP_PORT: '8081',
  KUBERNETES_PORT_8081_TCP_ADDR: '1.2.3.1',
};
const testSvc = service('test1', 'test', '1.2.3.3', 8083);
const allServices = [master, testSvc];

const fieldRef = (name: string, fieldPath: string): EnvVar => ({
  name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
});

describe('makeEnvironment: service links', () => {
  it.each([
    ['links off: only the master service', false, masterEnv],
    [
      'links on (the default): own namespace too',
      undefined,
      { TEST_SERVICE_HOST: '1.2.3.3', ...masterEnv },
    ],
  ])('%s', async (_name, links, expected) => {
    const pod = podWith({ name: 'c', env: [{ name: 'FOO', value: 'BAZ' }] });
    if (links === undefined) {
      delete pod.spec?.enableServiceLinks;
    }
    const env = await makeEnvironment(
      pod,
      pod.spec?.containers?.[0] ?? {},
      sourcesWith(allServices),
    );
    expect(env).toMatchObject({ FOO: 'BAZ', ...expected });
    expect('TEST_SERVICE_HOST' in env).toBe(links === undefined);
  });

  it('lets env override service variables and puts service variables last', async () => {
    const container = { name: 'c', env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }] };
    const env = await makeEnvironment(podWith(container), container, sourcesWith([master]));
    expect(env.KUBERNETES_SERVICE_HOST).toBe('mine');
    expect(Object.keys(env)[0]).toBe('KUBERNETES_SERVICE_HOST');
    expect(Object.keys(env)).toHaveLength(7);
  });
});

describe('makeEnvironment: env and expansion', () => {
  // The "env expansion" case of kubelet_pods_test.go.
  it('expands $(VAR) from earlier env, envFrom and services only', async () => {
    const container: Container = {
      name: 'c',
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        fieldRef('POD_NAME', 'metadata.name'),
        { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' },
        { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
        { name: 'EMPTY_VAR' },
        { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
        { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME)' },
        { name: 'POD_NAME_TEST3', value: '$(POD_NAME_TEST2)-3' },
        { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' },
        { name: 'SERVICE_VAR_TEST', value: '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' },
        { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
        { name: 'ESCAPED', value: '$$(TEST_LITERAL)' },
      ],
    };
    const pod = podWith(container, 'test1', true);
    const env = await makeEnvironment(pod, container, sourcesWith(allServices));
    expect(env).toMatchObject({
      TEST_LITERAL: 'test-test-test',
      POD_NAME: 'dapi-test-pod-name',
      OUT_OF_ORDER_TEST: '$(OUT_OF_ORDER_TARGET)',
      OUT_OF_ORDER_TARGET: 'FOO',
      EMPTY_VAR: '',
      EMPTY_TEST: 'foo-',
      POD_NAME_TEST2: 'test2-dapi-test-pod-name',
      POD_NAME_TEST3: 'test2-dapi-test-pod-name-3',
      LITERAL_TEST: 'literal-test-test-test',
      SERVICE_VAR_TEST: '1.2.3.3:8083',
      TEST_UNDEFINED: '$(UNDEFINED_VAR)',
      ESCAPED: '$(TEST_LITERAL)',
    });
  });

  it('lets a later entry of the same name win and a self reference see the earlier one', async () => {
    const container: Container = {
      name: 'c',
      env: [
        { name: 'PATH', value: '/bin' },
        { name: 'PATH', value: '/opt/bin:$(PATH)' },
      ],
    };
    const env = await makeEnvironment(podWith(container), container, sourcesWith());
    expect(env.PATH).toBe('/opt/bin:/bin');
  });

  it('resolves every downward API field', async () => {
    const container: Container = {
      name: 'c',
      env: [
        fieldRef('POD_NAME', 'metadata.name'),
        fieldRef('POD_NAMESPACE', 'metadata.namespace'),
        fieldRef('POD_UID', 'metadata.uid'),
        fieldRef('NODE', 'spec.nodeName'),
        fieldRef('SA', 'spec.serviceAccountName'),
        fieldRef('HOST_IP', 'status.hostIP'),
        fieldRef('HOST_IPS', 'status.hostIPs'),
        fieldRef('POD_IP', 'status.podIP'),
        fieldRef('POD_IPS', 'status.podIPs'),
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      ],
    };
    const sources = sourcesWith();
    const env = await makeEnvironment(podWith(container, 'downward-api'), container, {
      ...sources,
      hostIPs: ['10.0.0.5', 'fd00::5'],
      podIPs: ['fd00::6', '1.2.3.4'],
    });
    expect(env).toEqual({
      POD_NAME: 'dapi-test-pod-name',
      POD_NAMESPACE: 'downward-api',
      POD_UID: 'uid-1',
      NODE: 'node-name',
      SA: 'special',
      HOST_IP: '10.0.0.5',
      HOST_IPS: '10.0.0.5,fd00::5',
      POD_IP: '1.2.3.4',
      POD_IPS: '1.2.3.4,fd00::6',
      CPU: '2000',
    });
  });

  it('uses the single hostIP and podIP when no lists are given', async () => {
    const container: Container = {
      name: 'c',
      env: [fieldRef('HOST_IPS', 'status.hostIPs'), fieldRef('POD_IPS', 'status.podIPs')],
    };
    const env = await makeEnvironment(podWith(container), container, sourcesWith());
    expect(env).toEqual({ HOST_IPS: '10.0.0.5', POD_IPS: '1.2.3.4' });
  });

  it('prefers a literal value over valueFrom', async () => {
    const container: Container = {
      name: 'c',
      env: [{ name: 'X', value: 'lit', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    };
    const env = await makeEnvironment(podWith(container), container, sourcesWith());
    expect(env).toEqual({ X: 'lit' });
  });
});
