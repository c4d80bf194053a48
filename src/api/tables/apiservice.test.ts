import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { apiServicePrinter } from './apiservice.js';

const now = new Date('2026-01-01T00:05:00Z');
const apiService = (spec: Record<string, unknown>, conditions?: unknown[]): KubeObject => ({
  metadata: { name: 'v1.x', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec,
  ...(conditions ? { status: { conditions } } : {}),
});

describe('apiservice printer', () => {
  it('has kube-aggregator’s columns', () => {
    expect(apiServicePrinter.columns.map((c) => c.name)).toEqual([
      'Name',
      'Service',
      'Available',
      'Age',
    ]);
  });

  it.each<[string, KubeObject, unknown[]]>([
    [
      'a Local APIService',
      apiService({}, [{ type: 'Available', status: 'True', reason: 'Local' }]),
      ['v1.x', 'Local', 'True', '5m'],
    ],
    [
      'a service-backed one',
      apiService({ service: { namespace: 'kube-system', name: 'metrics-server' } }, [
        { type: 'Available', status: 'True', reason: 'Passed' },
      ]),
      ['v1.x', 'kube-system/metrics-server', 'True', '5m'],
    ],
    [
      'an unavailable one, with its reason',
      apiService({ service: { namespace: 'ns', name: 's' } }, [
        { type: 'Available', status: 'False', reason: 'MissingEndpoints' },
      ]),
      ['v1.x', 'ns/s', 'False (MissingEndpoints)', '5m'],
    ],
    ['one without a condition', apiService({}, undefined), ['v1.x', 'Local', 'Unknown', '5m']],
  ])('%s', (_name, obj, cells) => {
    expect(apiServicePrinter.cells(obj, now)).toEqual(cells);
  });
});
