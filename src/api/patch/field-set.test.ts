// Field sets: the fieldsV1 wire format, its ordering, set algebra and path strings.
import { describe, expect, it } from 'vitest';
import { FieldSet, fieldPE, keyPE, pathToString, valuePE, type PathElement } from './field-set.js';

const f = fieldPE;

describe('FieldSet', () => {
  it('serializes members with children as "." and sorts fields before keys and values', () => {
    const web = keyPE({ name: 'web' });
    const set = FieldSet.of(
      [f('spec'), f('template'), f('spec'), f('containers'), web],
      [f('spec'), f('template'), f('spec'), f('containers'), web, f('image')],
      [f('metadata'), f('labels'), f('app')],
      [f('spec'), f('replicas')],
    );
    expect(JSON.stringify(set.toFieldsV1())).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{}}}}}}}',
    );
  });

  it.each([
    [{ containerPort: 80, protocol: 'TCP' }, 'k:{"containerPort":80,"protocol":"TCP"}'],
    [{ protocol: 'TCP', port: 443 }, 'k:{"port":443,"protocol":"TCP"}'],
    [{ name: 'a<b' }, 'k:{"name":"a\\u003cb"}'],
  ])('writes key %j as %s (sorted, Go escaping)', (key, pe) => {
    expect(keyPE(key)).toBe(pe);
  });

  it('orders keys and values by value, numbers numerically', () => {
    const set = FieldSet.of(
      [valuePE('b')],
      [valuePE('a')],
      [keyPE({ p: 10 })],
      [keyPE({ p: 9 })],
      [f('z')],
    );
    expect(Object.keys(set.toFieldsV1())).toEqual([
      'f:z',
      'k:{"p":9}',
      'k:{"p":10}',
      'v:"a"',
      'v:"b"',
    ]);
  });

  it('round-trips fieldsV1', () => {
    const wire = {
      'f:metadata': {
        'f:finalizers': { '.': {}, 'v:"a"': {} },
        'f:labels': { '.': {}, 'f:app': {} },
      },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } },
    };
    expect(FieldSet.fromFieldsV1(wire).toFieldsV1()).toEqual(wire);
  });

  it.each([
    [{ 'x:bad': {} }, /unknown path element type/],
    [[], /must be an object/],
  ])('rejects malformed fieldsV1 %j', (wire, message) => {
    expect(() => FieldSet.fromFieldsV1(wire)).toThrow(message);
  });

  it('does set algebra on exact paths', () => {
    const a = FieldSet.of([f('a'), f('b')], [f('a'), f('c')], [f('d')]);
    const b = FieldSet.of([f('a'), f('b')], [f('d'), f('e')]);
    expect(a.difference(b).paths()).toEqual([[f('a'), f('c')], [f('d')]]);
    expect(a.intersection(b).paths()).toEqual([[f('a'), f('b')]]);
    expect(a.union(b).paths()).toHaveLength(4);
    expect(a.recursiveDifference(FieldSet.of([f('a')])).paths()).toEqual([[f('d')]]);
    expect(
      FieldSet.of([f('a'), f('b')])
        .difference(FieldSet.of([f('a'), f('b')]))
        .isEmpty(),
    ).toBe(true);
  });

  it.each<[PathElement[], string]>([
    [[f('spec'), f('replicas')], '.spec.replicas'],
    [
      [f('spec'), f('containers'), keyPE({ name: 'web' }), f('image')],
      '.spec.containers[name="web"].image',
    ],
    [
      [f('spec'), f('ports'), keyPE({ port: 80, protocol: 'TCP' })],
      '.spec.ports[port=80,protocol="TCP"]',
    ],
    [[f('metadata'), f('finalizers'), valuePE('x')], '.metadata.finalizers[="x"]'],
  ])('prints %j as %s', (path, text) => {
    expect(pathToString(path)).toBe(text);
  });
});
