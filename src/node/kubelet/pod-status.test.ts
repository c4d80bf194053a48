import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import { newRecord, type ContainerRecord, type TerminatedState } from './container-record.js';
import { podPhase, renderPodStatus } from './pod-status.js';

const exit = (exitCode: number): TerminatedState => ({
  exitCode,
  reason: exitCode === 0 ? 'Completed' : 'Error',
  finishedAt: '2026-01-01T00:00:00Z',
  containerID: 'kubeproc://x',
});

function rec(
  name: string,
  state: 'waiting' | 'running' | 'ok' | 'failed' | 'crashloop',
  init = false,
): ContainerRecord {
  const r = newRecord({ name, image: 'x' }, init);
  if (state === 'running') {
    r.state = { kind: 'running', running: { startedAt: '2026-01-01T00:00:00Z' } };
    r.containerID = 'kubeproc://x';
  } else if (state === 'ok' || state === 'failed') {
    r.state = { kind: 'terminated', terminated: exit(state === 'ok' ? 0 : 1) };
  } else if (state === 'crashloop') {
    r.state = { kind: 'waiting', reason: 'CrashLoopBackOff' };
    r.lastTerminated = exit(1);
  }
  return r;
}

const pod = (restartPolicy: string, status: Record<string, unknown> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { restartPolicy },
  status,
});

describe('podPhase (the kubelet getPhase)', () => {
  it.each([
    ['Always', [], ['waiting'], false, 'Pending'],
    ['Always', [], ['running'], false, 'Running'],
    ['Always', [], ['crashloop'], false, 'Running'],
    ['Always', [], ['ok'], false, 'Running'],
    ['Never', [], ['ok'], false, 'Succeeded'],
    ['Never', [], ['failed'], false, 'Failed'],
    ['OnFailure', [], ['failed'], false, 'Running'],
    ['OnFailure', [], ['ok', 'ok'], false, 'Succeeded'],
    ['Always', ['running'], ['waiting'], false, 'Pending'],
    ['Never', ['failed'], ['waiting'], false, 'Failed'],
    ['Always', ['crashloop'], ['waiting'], false, 'Pending'],
    ['Always', [], ['running'], true, 'Failed'],
    ['Always', [], ['ok'], true, 'Succeeded'],
  ] as const)(
    'restartPolicy %s, init %j, containers %j, terminal %s: %s',
    (policy, init, app, terminal, phase) => {
      expect(
        podPhase(
          pod(policy),
          init.map((s, i) => rec(`i${i}`, s, true)),
          app.map((s, i) => rec(`c${i}`, s)),
          terminal,
        ),
      ).toBe(phase);
    },
  );
});

describe('renderPodStatus', () => {
  const ctx = {
    now: new Date('2026-01-01T00:00:05Z'),
    podIP: '127.0.0.1',
    hostIP: '127.0.0.1',
    startTime: '2026-01-01T00:00:00Z',
    sandboxReady: true,
    terminal: false,
  };

  it('names unready containers and incomplete init containers as Kubernetes does', () => {
    const a = rec('a', 'running');
    const b = rec('b', 'waiting');
    const status = renderPodStatus(pod('Always'), [rec('init', 'running', true)], [a, b], ctx);
    const conditions = status.conditions as {
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }[];
    expect(conditions.map((c) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
    ]);
    expect(conditions[1]).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init]',
    });
    expect(conditions[2]).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a b]',
    });
    expect(status.phase).toBe('Pending');
  });

  it('keeps conditions it does not own and the transition time of unchanged ones', () => {
    const a = rec('a', 'running');
    a.ready = true;
    const previous = {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: '2025-12-31T00:00:00Z',
        },
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: '2025-12-30T00:00:00Z',
        },
      ],
      qosClass: 'BestEffort',
    };
    const status = renderPodStatus(pod('Always', previous), [], [a], ctx);
    const conditions = status.conditions as { type: string; lastTransitionTime: string }[];
    expect(conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2025-12-31T00:00:00Z',
    );
    expect(conditions.find((c) => c.type === 'ContainersReady')?.lastTransitionTime).toBe(
      '2026-01-01T00:00:05Z',
    );
    expect(conditions.at(-1)?.type).toBe('PodScheduled');
    expect(status.qosClass).toBe('BestEffort');
  });

  it('renders a crash-looping container with its last termination', () => {
    const status = renderPodStatus(pod('Always'), [], [rec('a', 'crashloop')], ctx);
    const [cs] = status.containerStatuses as Record<string, unknown>[];
    expect(cs).toMatchObject({
      name: 'a',
      ready: false,
      started: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
  });
});
