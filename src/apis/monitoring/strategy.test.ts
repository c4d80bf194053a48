import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { parseByteSize, parsePromDuration } from './duration.js';
import { serviceMonitorIgnoredFields, validateServiceMonitor } from './strategy.js';

const sm = (spec: unknown): KubeObject => ({
  metadata: { name: 'sm', namespace: 'default' },
  spec,
});
const valid = {
  selector: { matchLabels: { app: 'x' } },
  endpoints: [{ port: 'web', interval: '10s', path: '/metrics' }],
};

describe('validateServiceMonitor (the CRD schema)', () => {
  it('accepts seed 001’s ServiceMonitor', () => {
    expect(validateServiceMonitor(sm({ jobLabel: 'mockmetrics', ...valid }))).toEqual([]);
  });

  it.each([
    ['no spec', undefined, 'spec: Required value'],
    ['no endpoints', { selector: {} }, 'spec.endpoints: Required value'],
    ['no selector', { endpoints: [] }, 'spec.selector: Required value'],
    [
      'endpoints not a list',
      { selector: {}, endpoints: 'web' },
      'spec.endpoints: Invalid value: "string": spec.endpoints in body must be of type array: "string"',
    ],
    [
      'a bad interval',
      { selector: {}, endpoints: [{ interval: '10 s' }] },
      `spec.endpoints[0].interval: Invalid value: "10 s": spec.endpoints[0].interval in body should match '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'`,
    ],
    [
      'a bad scheme',
      { selector: {}, endpoints: [{ scheme: 'ftp' }] },
      'spec.endpoints[0].scheme: Unsupported value: "ftp": supported values: "http", "https"',
    ],
    [
      'a numeric port',
      { selector: {}, endpoints: [{ port: 8080 }] },
      'spec.endpoints[0].port: Invalid value: "number": spec.endpoints[0].port in body must be of type string: "number"',
    ],
    [
      'a bad body size',
      { selector: {}, endpoints: [], bodySizeLimit: '10MB ' },
      'spec.bodySizeLimit: Invalid value: "10MB "',
    ],
  ])('rejects %s', (_what, spec, message) => {
    const errs = validateServiceMonitor(sm(spec));
    expect(errs.map((e) => `${e.field}: ${e.detail}`)[0]).toContain(message);
  });

  it('names the fields it stores but does not act on', () => {
    const obj = sm({
      ...valid,
      targetLimit: 5,
      endpoints: [{ port: 'web', relabelings: [], tlsConfig: {} }],
    });
    expect(serviceMonitorIgnoredFields(obj)).toEqual([
      'spec.targetLimit',
      'spec.endpoints[0].relabelings',
      'spec.endpoints[0].tlsConfig',
    ]);
  });
});

describe('Prometheus durations and sizes', () => {
  it.each([
    ['0', 0],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['10', undefined],
    ['', undefined],
    ['1.5s', undefined],
  ])('duration %j -> %s', (text, ms) => {
    expect(parsePromDuration(text)).toBe(ms);
  });

  it.each([
    ['4MiB', 4 * 1024 * 1024],
    ['512KB', 512_000],
    ['1.5MB', 1_500_000],
    ['0', 0],
    ['10', undefined],
    ['4MiB ', undefined],
  ])('size %j -> %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});
