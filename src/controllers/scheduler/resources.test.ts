// Effective pod requests (component-helpers resource.PodRequests cases) and quantities.
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import { amount, podRequests } from './resources.js';

const MI = 1024 * 1024;

const c = (requests?: Record<string, string>, restartPolicy?: string): Container => ({
  name: 'c',
  image: 'i',
  ...(requests ? { resources: { requests } } : {}),
  ...(restartPolicy ? { restartPolicy } : {}),
});

const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'p' }, spec });

describe('amount', () => {
  it.each([
    ['cpu', '500m', 500],
    ['cpu', '2', 2000],
    ['cpu', 1, 1000],
    ['memory', '1Gi', 1024 * MI],
    ['memory', '1.5k', 1500],
    ['nvidia.com/gpu', '2', 2],
    ['cpu', 'junk', 0],
    ['cpu', undefined, 0],
  ])('%s %j → %d', (name, value, expected) => {
    expect(amount(name, value)).toBe(expected);
  });
});

describe('podRequests', () => {
  it.each([
    [
      'sums containers',
      pod({ containers: [c({ cpu: '1' }), c({ cpu: '500m', memory: '1Mi' })] }),
      { cpu: 1500, memory: MI },
    ],
    [
      'an init container larger than the containers wins',
      pod({ initContainers: [c({ cpu: '3' })], containers: [c({ cpu: '1', memory: '2Mi' })] }),
      { cpu: 3000, memory: 2 * MI },
    ],
    [
      'init containers run one at a time: the largest counts',
      pod({ initContainers: [c({ cpu: '2' }), c({ cpu: '1' })], containers: [c({ cpu: '500m' })] }),
      { cpu: 2000 },
    ],
    [
      'sidecars add to the containers and to later init containers',
      pod({
        initContainers: [c({ cpu: '1' }, 'Always'), c({ cpu: '2500m' })],
        containers: [c({ cpu: '1' })],
      }),
      { cpu: 3500 },
    ],
    [
      'sidecars alone',
      pod({ initContainers: [c({ cpu: '1' }, 'Always')], containers: [c({ cpu: '1' })] }),
      { cpu: 2000 },
    ],
    [
      'overhead is added',
      pod({ containers: [c({ cpu: '1' })], overhead: { cpu: '250m', memory: '10Mi' } }),
      { cpu: 1250, memory: 10 * MI },
    ],
    ['nothing requested', pod({ containers: [c()] }), {}],
  ])('%s', (_name, p, expected) => {
    expect(podRequests(p)).toEqual(expected);
  });

  it.each([
    ['defaults a missing request', pod({ containers: [c()] }), { cpu: 100, memory: 200 * MI }],
    [
      'keeps an explicit zero',
      pod({ containers: [c({ cpu: '0', memory: '0' })] }),
      { cpu: 0, memory: 0 },
    ],
    ['per container', pod({ containers: [c({ cpu: '1' }), c()] }), { cpu: 1100, memory: 400 * MI }],
  ])('non-zero: %s', (_name, p, expected) => {
    expect(podRequests(p, { nonZero: true })).toEqual(expected);
  });
});
