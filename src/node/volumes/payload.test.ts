// Volume payloads: items, modes, optional, missing objects and keys, downward API, projected.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { downwardApiPayload, fetchSource, objectPayload, projectedPayload } from './payload.js';

const cm: KubeObject = {
  metadata: { name: 'c', namespace: 'ns' },
  data: { a: 'A', b: 'B' },
  binaryData: { bin: Buffer.from([1, 2]).toString('base64') },
};
const secret: KubeObject = {
  metadata: { name: 's', namespace: 'ns' },
  data: { pw: Buffer.from('hunter2').toString('base64') },
};
const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'x', tier: 'web' } },
  spec: { containers: [{ name: 'c1', resources: { limits: { cpu: '250m', memory: '64Mi' } } }] },
};
const ctx = {
  pod,
  getConfigMap: (_ns: string, name: string) => Promise.resolve(name === 'c' ? cm : undefined),
  getSecret: (_ns: string, name: string) => Promise.resolve(name === 's' ? secret : undefined),
  fieldRef: { nodeName: 'n1', hostIPs: ['10.0.0.1'], podIPs: ['10.244.0.5'] },
  nodeAllocatable: {},
};
const text = (p: Map<string, { data: Buffer; mode: number }>) =>
  Object.fromEntries([...p].map(([k, v]) => [k, [v.data.toString('utf8'), v.mode.toString(8)]]));

describe('objectPayload', () => {
  it.each([
    [
      'all keys with the default mode',
      {},
      { a: ['A', '644'], b: ['B', '644'], bin: ['\x01\x02', '644'] },
    ],
    [
      'items with their paths and modes',
      {
        items: [
          { key: 'a', path: 'dir/x' },
          { key: 'b', path: 'y', mode: 0o600 },
        ],
      },
      { 'dir/x': ['A', '644'], y: ['B', '600'] },
    ],
    [
      'a missing optional key is skipped',
      { optional: true, items: [{ key: 'zz', path: 'z' }] },
      {},
    ],
  ])('%s', (_name, source, want) => {
    expect(text(objectPayload('configmap', source, cm, 0o644))).toEqual(want);
  });

  it.each([
    ['configmap' as const, cm, 'configmap references non-existent config key: zz'],
    ['secret' as const, secret, 'references non-existent secret key: zz'],
  ])('%s: a missing key fails with upstream wording', (kind, obj, message) => {
    expect(() => objectPayload(kind, { items: [{ key: 'zz', path: 'z' }] }, obj, 0o644)).toThrow(
      message,
    );
  });

  it('decodes secret data', () => {
    expect(text(objectPayload('secret', { defaultMode: 0o400 }, secret, 0o400))).toEqual({
      pw: ['hunter2', '400'],
    });
  });
});

describe('fetchSource', () => {
  it.each([
    ['configmap' as const, { name: 'nope' }, 'configmap "nope" not found'],
    ['secret' as const, { secretName: 'nope' }, 'secret "nope" not found'],
  ])('%s: a missing object fails with the kubelet wording', async (kind, source, message) => {
    await expect(fetchSource(kind, source, ctx)).rejects.toThrow(message);
  });

  it('a missing optional object is no error', async () => {
    await expect(fetchSource('configmap', { name: 'nope', optional: true }, ctx)).resolves.toBe(
      undefined,
    );
  });
});

describe('downwardApiPayload', () => {
  it('writes labels, fields and resources', () => {
    const payload = downwardApiPayload(
      [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'name', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o600 },
        {
          path: 'cpu',
          resourceFieldRef: { containerName: 'c1', resource: 'limits.cpu', divisor: '1m' },
        },
      ],
      0o644,
      ctx,
    );
    expect(text(payload)).toEqual({
      labels: ['app="x"\ntier="web"', '644'],
      name: ['p', '600'],
      cpu: ['250', '644'],
    });
  });
});

describe('projectedPayload', () => {
  it('merges sources under one default mode', async () => {
    const payload = await projectedPayload(
      {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: 'c', items: [{ key: 'a', path: 'a' }] } },
          { secret: { name: 's' } },
          {
            downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] },
          },
          { serviceAccountToken: { path: 'token' } },
        ],
      },
      ctx,
    );
    expect(text(payload)).toEqual({ a: ['A', '440'], pw: ['hunter2', '440'], ns: ['ns', '440'] });
  });
});
