import { describe, expect, it } from 'vitest';
import type { PodFacts } from './pods.js';
import { healNote, isKilledWithContainer } from './step-heal.js';
import type { HealState } from './step-heal.js';

const pod = (isReady: boolean, restarts: number): PodFacts => ({
  name: 'web-7d9-qsbzb',
  uid: 'u',
  isReady,
  restarts,
  isTerminating: false,
});

describe('healNote', () => {
  it('notes the restart once, then the return to Ready once', () => {
    const state: HealState = { restartsBefore: 0, sawDown: false };
    expect(healNote(state, pod(true, 0), 1)).toBe('');
    expect(healNote(state, pod(false, 1), 2)).toBe('<- qsbzb restarted (RESTARTS 1), not ready');
    expect(healNote(state, pod(false, 1), 3)).toBe('');
    expect(healNote(state, pod(true, 1), 4)).toBe('<- qsbzb ready again');
    expect(healNote(state, pod(true, 1), 5)).toBe('');
    expect(state).toEqual({ restartsBefore: 0, sawDown: true, readyAtMs: 4 });
  });

  it('notes both when the pod restarted and became Ready between two polls', () => {
    const state: HealState = { restartsBefore: 0, sawDown: false };
    expect(healNote(state, pod(true, 1), 7)).toBe('<- qsbzb restarted (RESTARTS 1), ready again');
    expect(state.readyAtMs).toBe(7);
  });

  it('says nothing about a pod it cannot see', () => {
    expect(healNote({ restartsBefore: 0, sawDown: false }, undefined, 1)).toBe('');
  });
});

describe('isKilledWithContainer', () => {
  it.each([
    ['error: Internal error occurred: error executing command in container: signal: killed', true],
    ['command terminated with exit code 137', true],
    ['python3: no process found', false],
    ['error: unable to upgrade connection: container not found ("app")', false],
  ])('%j -> %s', (stderr, expected) => {
    expect(isKilledWithContainer(stderr)).toBe(expected);
  });
});
