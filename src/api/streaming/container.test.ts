import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { resolveContainer } from './container.js';

const pod = (spec: object): KubeObject => ({ metadata: { name: 'p' }, spec });
const c = (...names: string[]) => names.map((name) => ({ name }));

describe('resolveContainer', () => {
  it.each([
    [pod({ containers: c('web') }), '', 'web'],
    [pod({ containers: c('web', 'side') }), 'side', 'side'],
    [pod({ initContainers: c('init'), containers: c('web', 'side') }), 'init', 'init'],
    [pod({ containers: c('web'), ephemeralContainers: c('debug') }), 'debug', 'debug'],
    [pod({ initContainers: c('init'), containers: c('web') }), '', 'web'],
  ])('%j %s -> %s', (p, requested, container) => {
    expect(resolveContainer(p, requested)).toBe(container);
  });

  it.each([
    [pod({ containers: c('web') }), 'nope', 'container nope is not valid for pod p'],
    [pod({}), '', 'a container name must be specified for pod p'],
    [
      pod({
        initContainers: c('init'),
        containers: c('web', 'side'),
        ephemeralContainers: c('dbg'),
      }),
      '',
      'a container name must be specified for pod p, choose one of: [init web side dbg]',
    ],
  ])('%j %s -> 400 %s', (p, requested, message) => {
    expect(() => resolveContainer(p, requested)).toThrow(new ApiError(400, 'BadRequest', message));
  });
});
