// ConfigMap and Secret validation and their immutability rules.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../meta.js';
import { coreV1Strategies } from './strategies.js';

const cm = coreV1Strategies.ConfigMap!;
const secret = coreV1Strategies.Secret!;
const meta = { name: 'cfg', namespace: 'default' };
const msgs = (errs: { field: string; detail: string }[]): string[] =>
  errs.map((e) => `${e.field}: ${e.detail}`);

describe('ConfigMap', () => {
  it('accepts ordinary keys', () => {
    expect(cm.validate!({ metadata: meta, data: { 'app.properties': 'x=1', KEY_2: 'y' } })).toEqual(
      [],
    );
  });

  it.each<[string, KubeObject, string[]]>([
    [
      'bad key',
      { metadata: meta, data: { 'a/b': 'x' } },
      [
        `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      ],
    ],
    [
      'key in both maps',
      { metadata: meta, data: { k: 'x' }, binaryData: { k: 'eA==' } },
      ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ],
    [
      'over 1 MiB',
      { metadata: meta, data: { a: 'x'.repeat(1024 * 1024), b: 'y' } },
      [': Too long: may not be more than 1048576 bytes'],
    ],
  ])('%s', (_n, obj, expected) => {
    expect(msgs(cm.validate!(obj))).toEqual(expected);
  });

  it('keeps an immutable ConfigMap unchanged', () => {
    const old = { metadata: meta, data: { a: '1' }, immutable: true };
    expect(msgs(cm.validateUpdate!({ ...old, data: { a: '2' } }, old))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(msgs(cm.validateUpdate!({ ...old, immutable: false }, old))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(
      cm.validateUpdate!(
        { metadata: meta, data: { a: '2' } },
        { metadata: meta, data: { a: '1' } },
      ),
    ).toEqual([]);
  });
});

describe('Secret', () => {
  it('accepts stringData once defaulted', () => {
    const s: KubeObject = { metadata: meta, stringData: { password: 'hunter2' } };
    secret.default!(s);
    expect(secret.validate!(s)).toEqual([]);
  });

  it.each<[string, KubeObject, string[]]>([
    [
      'tls without key',
      { metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } },
      ['data[tls.key]: Required value'],
    ],
    [
      'basic-auth without fields',
      { metadata: meta, type: 'kubernetes.io/basic-auth', data: {} },
      ['data[username]: Required value', 'data[password]: Required value'],
    ],
    [
      'service account token without annotation',
      { metadata: meta, type: 'kubernetes.io/service-account-token' },
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
    [
      'too large',
      {
        metadata: meta,
        type: 'Opaque',
        data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') },
      },
      ['data: Too long: may not be more than 1048576 bytes'],
    ],
    [
      'not base64',
      { metadata: meta, type: 'Opaque', data: { a: 'no!' } },
      ['data[a]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 2'],
    ],
  ])('%s', (_n, obj, expected) => {
    expect(msgs(secret.validate!(obj))).toEqual(expected);
  });

  it('keeps the type fixed', () => {
    const old = { metadata: meta, type: 'Opaque' };
    expect(msgs(secret.validateUpdate!({ ...old, type: 'kubernetes.io/tls' }, old))).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
    ]);
  });
});
