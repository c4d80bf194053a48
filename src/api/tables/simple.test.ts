import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import {
  configMapPrinter,
  defaultPrinter,
  leasePrinter,
  namespacePrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './simple.js';

type Json = Record<string, unknown>;
const now = new Date('2025-01-10T12:00:00Z');
const obj = (
  fields: Json,
  meta: Json = { creationTimestamp: '2025-01-03T12:00:00Z' },
): KubeObject => ({
  metadata: { name: 'x', ...meta },
  ...fields,
});

describe('small printers', () => {
  it.each<[string, unknown[], unknown[]]>([
    [
      'namespace',
      namespacePrinter.cells(obj({ status: { phase: 'Active' } }), now),
      ['x', 'Active', '7d'],
    ],
    [
      'terminating namespace',
      namespacePrinter.cells(obj({ status: { phase: 'Terminating' } }), now),
      ['x', 'Terminating', '7d'],
    ],
    [
      'configmap counts data and binaryData',
      configMapPrinter.cells(obj({ data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), now),
      ['x', 3, '7d'],
    ],
    ['empty configmap', configMapPrinter.cells(obj({}), now), ['x', 0, '7d']],
    [
      'secret',
      secretPrinter.cells(obj({ type: 'Opaque', data: { password: 'cw==' } }), now),
      ['x', 'Opaque', 1, '7d'],
    ],
    [
      'tls secret',
      secretPrinter.cells(
        obj({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }),
        now,
      ),
      ['x', 'kubernetes.io/tls', 2, '7d'],
    ],
    ['service account', serviceAccountPrinter.cells(obj({}), now), ['x', 0, '7d']],
    [
      'service account with secrets',
      serviceAccountPrinter.cells(obj({ secrets: [{ name: 's' }] }), now),
      ['x', 1, '7d'],
    ],
    [
      'lease',
      leasePrinter.cells(obj({ spec: { holderIdentity: 'node1', leaseDurationSeconds: 40 } }), now),
      ['x', 'node1', '7d'],
    ],
    ['lease without holder', leasePrinter.cells(obj({ spec: {} }), now), ['x', '', '7d']],
    ['no creationTimestamp', namespacePrinter.cells(obj({}, {}), now), ['x', '', '<unknown>']],
  ])('%s', (_name, got, want) => {
    expect(got).toEqual(want);
  });
});

describe('default printer', () => {
  it('prints Name and an RFC 3339 Created At', () => {
    expect(
      defaultPrinter.cells(obj({}, { creationTimestamp: '2025-01-03T12:00:00Z' }), now),
    ).toEqual(['x', '2025-01-03T12:00:00Z']);
    expect(defaultPrinter.cells(obj({}, {}), now)).toEqual(['x', '0001-01-01T00:00:00Z']);
    expect(defaultPrinter.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
  });
});
