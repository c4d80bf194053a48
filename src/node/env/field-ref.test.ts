import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import { ContainerConfigError } from './errors.js';
import { formatMap, podFieldRefValue, sortPodIPs, splitSubscript } from './field-ref.js';
import { goQuote } from './go-quote.js';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'dapi-test-pod-name',
    namespace: 'downward-api',
    uid: '0b3c-uid',
    labels: { app: 'web', 'example.com/tier': 'front' },
    annotations: { 'Example.com/Note': 'a "quoted"\nline', zeta: 'z' },
  },
  spec: { nodeName: 'node-name', serviceAccountName: 'special', restartPolicy: 'Always' },
};
const ctx = { nodeName: 'agent-node', hostIPs: ['10.0.0.5', 'fd00::5'], podIPs: ['1.2.3.4'] };
const value = (fieldPath: string, apiVersion = 'v1', p: Pod = pod, c = ctx): string =>
  podFieldRefValue({ apiVersion, fieldPath }, p, c);

describe('podFieldRefValue', () => {
  it.each([
    ['metadata.name', 'dapi-test-pod-name'],
    ['metadata.namespace', 'downward-api'],
    ['metadata.uid', '0b3c-uid'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['example.com/tier']", 'front'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['Example.com/Note']", 'a "quoted"\nline'],
    ["metadata.annotations['absent']", ''],
    ['metadata.labels', 'app="web"\nexample.com/tier="front"'],
    ['metadata.annotations', 'Example.com/Note="a \\"quoted\\"\\nline"\nzeta="z"'],
    ['spec.nodeName', 'node-name'],
    ['spec.host', 'node-name'],
    ['spec.serviceAccountName', 'special'],
    ['status.hostIP', '10.0.0.5'],
    ['status.hostIPs', '10.0.0.5,fd00::5'],
    ['status.podIP', '1.2.3.4'],
    ['status.podIPs', '1.2.3.4'],
  ])('%s → %j', (fieldPath, expected) => {
    expect(value(fieldPath)).toBe(expected);
  });

  it('defaults apiVersion to v1 when an in-process object leaves it out', () => {
    expect(podFieldRefValue({ fieldPath: 'metadata.name' }, pod, ctx)).toBe('dapi-test-pod-name');
  });

  it('falls back to the agent node name for a pod without spec.nodeName', () => {
    expect(value('spec.nodeName', 'v1', { ...pod, spec: {} })).toBe('agent-node');
  });

  it('reads a label named like an Object.prototype member as missing', () => {
    expect(value("metadata.labels['constructor']")).toBe('');
  });

  it('orders pod IPs by the node family and drops what is not an IP', () => {
    const c = { ...ctx, podIPs: ['fd00::6', '192.168.1.1.', '1.2.3.4', '5.6.7.8'] };
    expect(value('status.podIP', 'v1', pod, c)).toBe('1.2.3.4');
    expect(value('status.podIPs', 'v1', pod, c)).toBe('1.2.3.4,fd00::6');
    const v6Node = { ...c, hostIPs: ['fd00::5', '10.0.0.5'] };
    expect(value('status.podIPs', 'v1', pod, v6Node)).toBe('fd00::6,1.2.3.4');
  });

  it('keeps the given pod IP when no listed IP is usable', () => {
    expect(value('status.podIP', 'v1', pod, { ...ctx, podIPs: ['not-an-ip'] })).toBe('not-an-ip');
    expect(value('status.podIPs', 'v1', pod, { ...ctx, podIPs: [''] })).toBe('');
  });

  it.each([
    ['metadata.name', 'v2', 'unsupported pod version: v2'],
    ['metadata.generateName', 'v1', 'field label not supported: metadata.generateName'],
    ["spec.nodeName['x']", 'v1', "field label does not support subscript: spec.nodeName['x']"],
    ['spec.restartPolicy', 'v1', 'unsupported fieldPath: spec.restartPolicy'],
    ['status.phase', 'v1', 'unsupported fieldPath: status.phase'],
    [
      "metadata.labels['-bad-']",
      'v1',
      "invalid key subscript in metadata.labels['-bad-']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  ])('%s (%s) fails with %j', (fieldPath, apiVersion, message) => {
    expect(() => value(fieldPath, apiVersion)).toThrow(new ContainerConfigError(message));
  });

  it('fails with the ContainerConfigError reason', () => {
    try {
      value('status.phase');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ContainerConfigError);
      expect((err as ContainerConfigError).reason).toBe('CreateContainerConfigError');
    }
  });
});

describe('splitSubscript', () => {
  it.each([
    ["metadata.annotations['myKey']", ['metadata.annotations', 'myKey']],
    ["metadata.annotations['a[b]c']", ['metadata.annotations', 'a[b]c']],
    ["metadata.labels['']", ['metadata.labels', '']],
    ['metadata.labels', undefined],
    ["['x']", undefined],
    ["metadata.labels'x']", undefined],
  ])('%s', (input, expected) => {
    expect(splitSubscript(input)).toEqual(expected);
  });
});

describe('formatMap and goQuote', () => {
  it('sorts keys and quotes values', () => {
    expect(formatMap({ b: '2', a: '1' })).toBe('a="1"\nb="2"');
    expect(formatMap({})).toBe('');
  });

  it.each([
    ['plain', '"plain"'],
    ['tab\there', '"tab\\there"'],
    ['bell\x07\x00\x7f', '"bell\\a\\x00\\x7f"'],
    ['back\\slash "q"', '"back\\\\slash \\"q\\""'],
    ['héllo ✓ 😀', '"héllo ✓ 😀"'],
    ['nbsp\u00a0zw\u200b', '"nbsp\\u00a0zw\\u200b"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ])('quotes %j as %s', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });
});

describe('sortPodIPs', () => {
  it('takes IPv4 first when the node has no IP', () => {
    expect(sortPodIPs(['fd00::1', '10.1.1.1'], [])).toEqual(['10.1.1.1', 'fd00::1']);
  });
});
