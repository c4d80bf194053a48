// The waiting state a fresh container record starts in, as the kubelet's default waiting state.
import { describe, expect, it } from 'vitest';
import { newRecord } from './container-record.js';

describe('newRecord', () => {
  it.each([
    ['an app container of a pod without init containers', false, false, 'ContainerCreating'],
    ['an app container of a pod with init containers', false, true, 'PodInitializing'],
    ['an init container', true, true, 'PodInitializing'],
  ])('%s waits with %s', (_what, init, hasInit, reason) => {
    expect(newRecord({ name: 'c', image: 'x' }, init, hasInit).state).toEqual({
      kind: 'waiting',
      reason,
    });
  });
});
