import { describe, expect, it } from 'vitest';
import type { Container, EnvVar, Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { ContainerConfigError } from './errors.js';
import { makeEnvironment, type EnvSources, type InvalidEnvKeys } from './index.js';
import { memoryEnvSources } from './memory-sources.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data };
}

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name }, data: encoded };
}

const master: KubeObject = {
  metadata: { namespace: 'default', name: 'kubernetes' },
  spec: { clusterIP: '1.2.3.1', ports: [{ port: 443 }] },
};

/** Sources over the given objects; `gets` records each lookup so caching can be checked. */
function sourcesWith(objects: KubeObject[], services: KubeObject[] = []) {
  const gets: string[] = [];
  const inner = memoryEnvSources({
    configMaps: objects.filter((o) => o.kind === 'ConfigMap'),
    secrets: objects.filter((o) => o.kind === 'Secret'),
    services,
    nodeName: 'node-name',
    hostIP: '10.0.0.5',
    podIP: '1.2.3.4',
    nodeAllocatable: {},
  });
  const sources: EnvSources = {
    ...inner,
    getConfigMap: (ns, name) => (
      gets.push(`ConfigMap ${ns}/${name}`),
      inner.getConfigMap(ns, name)
    ),
    getSecret: (ns, name) => (gets.push(`Secret ${ns}/${name}`), inner.getSecret(ns, name)),
  };
  return { sources, gets };
}

function podWith(container: Container): Pod {
  return {
    metadata: { name: 'p', namespace: 'test1' },
    spec: { containers: [container], enableServiceLinks: false },
  };
}

const fieldRef = (name: string, fieldPath: string): EnvVar => ({
  name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
});

describe('makeEnvironment: envFrom and key refs', () => {
  const objects = [
    configMap('test1', 'test-config-map', {
      REPLACE_ME: 'FROM_CONFIG_MAP',
      DUPE_TEST: 'CONFIG_MAP',
    }),
    secret('test1', 'test-secret', { REPLACE_ME: 'FROM_SECRET', DUPE_TEST: 'SECRET', ü: 'ünï' }),
  ];

  it.each([
    [
      'configMapRef',
      { configMapRef: { name: 'test-config-map' } },
      'FROM_CONFIG_MAP',
      'CONFIG_MAP',
    ],
    ['secretRef', { secretRef: { name: 'test-secret' } }, 'FROM_SECRET', 'SECRET'],
  ])('envFrom %s: prefix, expansion source, env wins', async (_n, ref, replaced, dupe) => {
    const container: Container = {
      name: 'c',
      envFrom: [ref, { prefix: 'p_', ...ref }],
      env: [
        { name: 'EXPANSION_TEST', value: '$(REPLACE_ME)' },
        { name: 'DUPE_TEST', value: 'ENV_VAR' },
      ],
    };
    const env = await makeEnvironment(podWith(container), container, sourcesWith(objects).sources);
    expect(env).toMatchObject({
      REPLACE_ME: replaced,
      EXPANSION_TEST: replaced,
      DUPE_TEST: 'ENV_VAR',
      p_REPLACE_ME: replaced,
      p_DUPE_TEST: dupe,
    });
  });

  it('lets a later envFrom source override an earlier one', async () => {
    const container: Container = {
      name: 'c',
      envFrom: [
        { configMapRef: { name: 'test-config-map' } },
        { secretRef: { name: 'test-secret' } },
      ],
    };
    const env = await makeEnvironment(podWith(container), container, sourcesWith(objects).sources);
    expect(env.DUPE_TEST).toBe('SECRET');
  });

  it('keeps keys the relaxed rule allows, such as a leading digit or a dot', async () => {
    const cm = configMap('test1', 'odd', { '1234': 'abc', 'app.invalid': 'x', 'a-b': 'y' });
    const container: Container = {
      name: 'c',
      envFrom: [{ prefix: 'p_', configMapRef: { name: 'odd' } }],
    };
    const skipped: InvalidEnvKeys[] = [];
    const env = await makeEnvironment(podWith(container), container, sourcesWith([cm]).sources, {
      onInvalidKeys: (s) => skipped.push(s),
    });
    expect(env).toEqual({ p_1234: 'abc', 'p_app.invalid': 'x', 'p_a-b': 'y' });
    expect(skipped).toEqual([]);
  });

  it('skips and reports keys no process can carry as names', async () => {
    const bad = secret('test1', 'bad', { 'b=x': '1', ok: '2', 'a\tb': '3' });
    const container: Container = { name: 'c', envFrom: [{ secretRef: { name: 'bad' } }] };
    const skipped: InvalidEnvKeys[] = [];
    const env = await makeEnvironment(podWith(container), container, sourcesWith([bad]).sources, {
      onInvalidKeys: (s) => skipped.push(s),
    });
    expect(env).toEqual({ ok: '2' });
    expect(skipped).toEqual([
      {
        kind: 'secret',
        namespace: 'test1',
        name: 'bad',
        keys: ['a\tb', 'b=x'],
        message:
          'Keys [a\tb, b=x] from the EnvFrom secret test1/bad were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  it('resolves configMapKeyRef and secretKeyRef, decoding Secret data', async () => {
    const container: Container = {
      name: 'c',
      env: [
        {
          name: 'CM',
          valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'REPLACE_ME' } },
        },
        { name: 'SEC', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'ü' } } },
        {
          name: 'CM2',
          valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'DUPE_TEST' } },
        },
      ],
    };
    const { sources, gets } = sourcesWith(objects);
    const env = await makeEnvironment(podWith(container), container, sources);
    expect(env).toEqual({ CM: 'FROM_CONFIG_MAP', SEC: 'ünï', CM2: 'CONFIG_MAP' });
    expect(gets).toEqual(['ConfigMap test1/test-config-map', 'Secret test1/test-secret']);
  });

  it.each<[string, EnvVar]>([
    [
      'missing optional ConfigMap',
      { name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
    ],
    [
      'missing optional Secret',
      { name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
    ],
    [
      'missing optional ConfigMap key',
      {
        name: 'X',
        valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'k', optional: true } },
      },
    ],
    [
      'missing optional Secret key',
      { name: 'X', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'k', optional: true } } },
    ],
  ])('%s leaves the variable unset (an envFrom value stays)', async (_n, envVar) => {
    const container: Container = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'from', optional: true } }],
      env: [envVar],
    };
    const withFrom = [...objects, configMap('test1', 'from', { X: 'from-envFrom' })];
    expect(
      await makeEnvironment(podWith(container), container, sourcesWith(objects).sources),
    ).toEqual({});
    expect(
      await makeEnvironment(podWith(container), container, sourcesWith(withFrom).sources),
    ).toEqual({
      X: 'from-envFrom',
    });
  });

  it.each([
    ['configMapRef', { configMapRef: { name: 'missing-config-map', optional: true } }],
    ['secretRef', { secretRef: { name: 'missing-secret', optional: true } }],
  ])('skips a missing optional envFrom %s', async (_n, ref) => {
    const container: Container = { name: 'c', envFrom: [ref] };
    const env = await makeEnvironment(
      podWith(container),
      container,
      sourcesWith([], [master]).sources,
    );
    expect(env).toEqual({
      KUBERNETES_SERVICE_HOST: '1.2.3.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_PORT: 'tcp://1.2.3.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://1.2.3.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '1.2.3.1',
    });
  });

  it.each<[string, Container, string]>([
    [
      'envFrom ConfigMap',
      { envFrom: [{ configMapRef: { name: 'x' } }] },
      'configmap "x" not found',
    ],
    ['envFrom Secret', { envFrom: [{ secretRef: { name: 's' } }] }, 'secret "s" not found'],
    [
      'ConfigMap key ref',
      { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] },
      'configmap "x" not found',
    ],
    [
      'Secret key ref',
      { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
      'secret "s" not found',
    ],
    [
      'ConfigMap key',
      {
        env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'k' } } }],
      },
      "couldn't find key k in ConfigMap test1/test-config-map",
    ],
    [
      'Secret key',
      { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'k' } } }] },
      "couldn't find key k in Secret test1/test-secret",
    ],
    [
      'fieldRef',
      { env: [fieldRef('A', 'spec.restartPolicy')] },
      'unsupported fieldPath: spec.restartPolicy',
    ],
    [
      'resourceFieldRef',
      {
        env: [
          {
            name: 'A',
            valueFrom: { resourceFieldRef: { containerName: 'x', resource: 'limits.cpu' } },
          },
        ],
      },
      'container x not found',
    ],
  ])('a missing %s fails with CreateContainerConfigError', async (_n, container, message) => {
    const c = { name: 'c', ...container };
    const run = makeEnvironment(podWith(c), c, sourcesWith(objects).sources);
    await expect(run).rejects.toThrow(new ContainerConfigError(message));
    await expect(run).rejects.toMatchObject({ reason: 'CreateContainerConfigError' });
  });

  it('reports a failing lookup with its own message', async () => {
    const { sources } = sourcesWith([]);
    const failing: EnvSources = {
      ...sources,
      getSecret: () => Promise.reject(new Error('secrets "s" is forbidden')),
    };
    const c: Container = { name: 'c', envFrom: [{ secretRef: { name: 's', optional: true } }] };
    await expect(makeEnvironment(podWith(c), c, failing)).rejects.toThrow(
      new ContainerConfigError('secrets "s" is forbidden'),
    );
  });

  it('treats data keys named like Object.prototype members as plain variables', async () => {
    const cm = configMap('test1', 'proto', { constructor: 'c' });
    Object.defineProperty(cm.data, '__proto__', { value: 'p', enumerable: true });
    const c: Container = { name: 'c', envFrom: [{ configMapRef: { name: 'proto' } }] };
    const env = await makeEnvironment(podWith(c), c, sourcesWith([cm]).sources);
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect(Object.entries(env)).toEqual([
      ['constructor', 'c'],
      ['__proto__', 'p'],
    ]);
  });
});
