// Tests of the table notation and of message decoding rules (zero values, inline, maps, packed
// and merged fields) on a small hand-written schema, plus a check of the real tables.

import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeContext } from './message.js';
import { buildSchema, messageForKind, type PackageSchema, type Schema } from './schema.js';
import { PACKAGES } from './tables/index.js';
import { WireWriter } from './wire-writer.js';

const TEST: PackageSchema = {
  name: 't',
  apiVersion: 'test/v1',
  kinds: ['Thing'],
  messages: {
    Thing: `
      name=1 always=2! pointer=3* count=4:int32 ptrCount=5:int32* flag=6:bool ptrFlag=7:bool*
      big=8:int64 ratio=9:double tags=10[] ports=11:int32[] labels=12:map data=13:map<bytes>
      limits=14:map<Quantity> parts=15:Part[] source=16:Source~ spec=17:Part when=18:Time
      port=19:IntOrString blob=20:bytes`,
    Part: 'id=1 size=2:int64',
    Source: 'path=1 readOnly=2:bool',
  },
};

const schema: Schema = buildSchema([TEST]);
const ctx: DecodeContext = { schema, nested: () => null };
const thing = (w: WireWriter) => {
  const def = schema.messages.get('t.Thing');
  if (!def) {
    throw new Error('no t.Thing');
  }
  return decodeMessage(w.finish(), def, ctx);
};
const w = () => new WireWriter();

describe('buildSchema', () => {
  it('builds the real tables and indexes every kind kubectl writes', () => {
    const real = buildSchema(PACKAGES);
    const kinds = [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'ReplicaSet'],
      ['v1', 'Service'],
      ['v1', 'Namespace'],
      ['v1', 'ConfigMap'],
      ['v1', 'Secret'],
      ['v1', 'ServiceAccount'],
      ['v1', 'Endpoints'],
      ['v1', 'Event'],
      ['v1', 'Node'],
      ['v1', 'Pod'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['networking.k8s.io/v1', 'IngressClass'],
      ['discovery.k8s.io/v1', 'EndpointSlice'],
      ['events.k8s.io/v1', 'Event'],
      ['coordination.k8s.io/v1', 'Lease'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['policy/v1', 'Eviction'],
      ['autoscaling/v1', 'HorizontalPodAutoscaler'],
      ['autoscaling/v1', 'Scale'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['batch/v1', 'Job'],
      ['batch/v1', 'CronJob'],
      ['scheduling.k8s.io/v1', 'PriorityClass'],
      ['v1', 'DeleteOptions'],
      ['apps/v1', 'DeleteOptions'],
    ];
    for (const [apiVersion = '', kind = ''] of kinds) {
      expect(messageForKind(real, apiVersion, kind), `${apiVersion} ${kind}`).toBeDefined();
    }
    expect(messageForKind(real, 'batch/v1', 'Deployment')).toBeUndefined();
  });

  it.each([
    { name: 'a malformed token', spec: 'name=x', error: /bad field/ },
    { name: 'a pointer message', spec: 'spec=1:Other*', error: /flag not allowed/ },
    { name: 'an inline scalar', spec: 'name=1~', error: /flag not allowed/ },
    { name: 'a repeated map', spec: 'labels=1:map[]', error: /flag not allowed/ },
    { name: 'a duplicate number', spec: 'a=1 b=1', error: /defined twice/ },
    { name: 'a duplicate name', spec: 'a=1 a=2', error: /defined twice/ },
    { name: 'an unknown message', spec: 'spec=1:Missing', error: /unknown message x\.Missing/ },
  ])('rejects $name', ({ spec, error }) => {
    const pkg: PackageSchema = { name: 'x', apiVersion: 'x/v1', kinds: [], messages: { M: spec } };
    expect(() => buildSchema([pkg])).toThrow(error);
  });

  it('rejects a kind without a message', () => {
    const pkg: PackageSchema = { name: 'x', apiVersion: 'x/v1', kinds: ['Nope'], messages: {} };
    expect(() => buildSchema([pkg])).toThrow(/has no message/);
  });
});

describe('decodeMessage zero values', () => {
  it('drops omitempty zeros that Go writes on the wire', () => {
    const body = w().string(1, '').varint(4, 0).varint(6, false).varint(8, 0).double(9, 0);
    expect(thing(body.string(20, ''))).toEqual({});
  });

  it('keeps zeros of pointer and non-omitempty fields', () => {
    const body = w().string(2, '').string(3, '').varint(5, 0).varint(7, false);
    expect(thing(body)).toEqual({ always: '', pointer: '', ptrCount: 0, ptrFlag: false });
  });

  it('keeps IntOrString 0 and empty messages, which are structs in Go', () => {
    const body = w()
      .message(19, (m) => m.varint(1, 0).varint(2, 0))
      .message(17, () => undefined);
    expect(thing(body)).toEqual({ port: 0, spec: {} });
  });

  it('omits a zero Time', () => {
    expect(thing(w().message(18, () => undefined))).toEqual({});
  });

  it('lets the last occurrence of a scalar win, including a zero', () => {
    expect(thing(w().string(1, 'a').string(1, 'b'))).toEqual({ name: 'b' });
    expect(thing(w().string(1, 'a').string(1, ''))).toEqual({});
  });
});

describe('decodeMessage shapes', () => {
  it('decodes scalars of every kind', () => {
    const body = w()
      .string(1, 'héllo')
      .varint(4, -7)
      .varint(6, true)
      .varint(8, 2n ** 40n);
    expect(thing(body.double(9, 0.5).bytes(20, Uint8Array.from([0, 255])))).toEqual({
      name: 'héllo',
      count: -7,
      flag: true,
      big: 2 ** 40,
      ratio: 0.5,
      blob: 'AP8=',
    });
  });

  it('accumulates repeated fields, packed or not', () => {
    const packed = w().rawVarint(80).rawVarint(443).finish();
    const body = w().string(10, 'a').string(10, 'b').varint(11, 8080).bytes(11, packed);
    expect(thing(body)).toEqual({ tags: ['a', 'b'], ports: [8080, 80, 443] });
  });

  it('decodes maps, base64 bytes values, special values and missing entry parts', () => {
    const body = w()
      .message(12, (e) => e.string(1, 'app').string(2, 'web'))
      .message(12, (e) => e.string(1, 'empty'))
      .message(13, (e) => e.string(1, 'k').bytes(2, Uint8Array.from([104, 105])))
      .message(14, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, '250m')));
    expect(thing(body)).toEqual({
      labels: { app: 'web', empty: '' },
      data: { k: 'aGk=' },
      limits: { cpu: '250m' },
    });
  });

  it('stores a __proto__ map key as data, never as a prototype', () => {
    const got = thing(w().message(12, (e) => e.string(1, '__proto__').string(2, 'x')));
    const labels = got.labels as Record<string, unknown>;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(JSON.stringify(got)).toBe('{"labels":{"__proto__":"x"}}');
  });

  it('inlines embedded structs and merges repeated message fields', () => {
    const body = w()
      .message(16, (s) => s.string(1, '/data').varint(2, true))
      .message(17, (p) => p.string(1, 'a'))
      .message(17, (p) => p.varint(2, 5))
      .message(15, (p) => p.string(1, 'x'))
      .message(15, (p) => p.string(1, 'y'));
    expect(thing(body)).toEqual({
      path: '/data',
      readOnly: true,
      spec: { id: 'a', size: 5 },
      parts: [{ id: 'x' }, { id: 'y' }],
    });
  });

  it('skips unknown fields of every wire type', () => {
    const body = w().varint(99, 1).double(98, 1).float(97, 1).string(96, 'x').string(1, 'kept');
    expect(thing(body)).toEqual({ name: 'kept' });
  });

  it.each([
    { name: 'a varint for a string', body: w().varint(1, 1), error: /t\.Thing\.name \(field 1\)/ },
    { name: 'a string for an int32', body: w().string(4, 'x'), error: /t\.Thing\.count/ },
    { name: 'a varint for a message', body: w().varint(17, 1), error: /t\.Thing\.spec/ },
    { name: 'a fixed32 for a double', body: w().float(9, 1), error: /t\.Thing\.ratio/ },
    { name: 'a bad map value', body: w().message(12, (e) => e.varint(2, 1)), error: /map entry/ },
  ])('rejects $name', ({ body, error }) => {
    expect(() => thing(body)).toThrow(error);
  });
});
