import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import { ContainerConfigError } from './errors.js';
import { resourceFieldRefValue, type ResourceFieldRef } from './resource-ref.js';

const main: Container = {
  name: 'main',
  resources: {
    limits: { cpu: '500m', memory: '128Mi', 'hugepages-2Mi': '4Mi' },
    requests: { cpu: '250m', memory: 64 * 1024 * 1024, 'ephemeral-storage': '1Gi' },
  },
};
const bare: Container = { name: 'bare' };
const zeroLimit: Container = { name: 'zero', resources: { limits: { cpu: '0', memory: 0 } } };
const init: Container = { name: 'setup', resources: { requests: { cpu: '100m' } } };
const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [main, bare, zeroLimit], initContainers: [init] },
};
const allocatable = { cpu: '2', memory: '24Gi', 'ephemeral-storage': '100Gi', pods: '110' };
const value = (ref: ResourceFieldRef, container: Container = main): string =>
  resourceFieldRefValue(ref, pod, container, allocatable);

describe('resourceFieldRefValue', () => {
  it.each<[string, ResourceFieldRef, string]>([
    ['limits.cpu rounds 0.5 cores up', { resource: 'limits.cpu' }, '1'],
    ['limits.cpu in millicores', { resource: 'limits.cpu', divisor: '1m' }, '500'],
    ['requests.cpu in millicores', { resource: 'requests.cpu', divisor: '1m' }, '250'],
    ['limits.memory in bytes', { resource: 'limits.memory' }, '134217728'],
    ['limits.memory in Mi', { resource: 'limits.memory', divisor: '1Mi' }, '128'],
    ['limits.memory in M, rounded up', { resource: 'limits.memory', divisor: '1M' }, '135'],
    ['limits.memory in Gi, rounded up', { resource: 'limits.memory', divisor: '1Gi' }, '1'],
    ['numeric request in Mi', { resource: 'requests.memory', divisor: '1Mi' }, '64'],
    ['a zero divisor counts as 1', { resource: 'requests.cpu', divisor: '0' }, '1'],
    ['a numeric divisor', { resource: 'limits.memory', divisor: 1024 }, '131072'],
    [
      'requests.ephemeral-storage in Mi',
      { resource: 'requests.ephemeral-storage', divisor: '1Mi' },
      '1024',
    ],
    ['unset request is 0', { resource: 'requests.hugepages-1Gi' }, '0'],
    ['hugepages limit', { resource: 'limits.hugepages-2Mi', divisor: '1Mi' }, '4'],
  ])('%s', (_name, ref, expected) => {
    expect(value(ref)).toBe(expected);
  });

  it.each<[string, ResourceFieldRef, string]>([
    ['cpu', { resource: 'limits.cpu' }, '2'],
    ['memory in Gi', { resource: 'limits.memory', divisor: '1Gi' }, '24'],
    ['ephemeral-storage in Gi', { resource: 'limits.ephemeral-storage', divisor: '1Gi' }, '100'],
    ['request stays unset', { resource: 'requests.cpu' }, '0'],
  ])('a container without limits gets node allocatable: %s', (_name, ref, expected) => {
    expect(value(ref, bare)).toBe(expected);
  });

  it('treats a zero limit as unset', () => {
    expect(value({ resource: 'limits.cpu', divisor: '1m' }, zeroLimit)).toBe('2000');
    expect(value({ resource: 'limits.memory', divisor: '1Gi' }, zeroLimit)).toBe('24');
  });

  it('reads another container by name, with its limits defaulted too', () => {
    expect(value({ containerName: 'bare', resource: 'limits.cpu', divisor: '1m' })).toBe('2000');
    expect(value({ containerName: 'main', resource: 'limits.cpu', divisor: '1m' }, bare)).toBe(
      '500',
    );
  });

  it('reads an init container by name without allocatable defaulting, as upstream', () => {
    expect(value({ containerName: 'setup', resource: 'requests.cpu', divisor: '1m' })).toBe('100');
    expect(value({ containerName: 'setup', resource: 'limits.cpu' })).toBe('0');
  });

  it('leaves the pod and container objects untouched', () => {
    value({ resource: 'limits.cpu' }, bare);
    expect(bare).toEqual({ name: 'bare' });
  });

  it.each<[ResourceFieldRef, string]>([
    [{ containerName: 'ghost', resource: 'limits.cpu' }, 'container ghost not found'],
    [{ resource: 'limits.pods' }, 'unsupported container resource : limits.pods'],
    [{ resource: 'cpu' }, 'unsupported container resource : cpu'],
    [{ resource: 'status.cpu' }, 'unsupported container resource : status.cpu'],
    [{}, 'unsupported container resource : '],
  ])('%j fails with %j', (ref, message) => {
    expect(() => value(ref)).toThrow(new ContainerConfigError(message));
  });
});
