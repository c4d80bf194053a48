import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { podPrinter } from './pod.js';

// Init containers, sidecars and RESTARTS; plain container states are in pod.test.ts.

const now = new Date('2025-01-10T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();

type Status = Record<string, unknown>;

function pod(
  status: Status,
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(90), ...meta },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(80) } };
const ready = (name = 'app', extra: Status = {}): Status => ({
  name,
  ready: true,
  restartCount: 0,
  state: running,
  ...extra,
});
const waiting = (reason: string): Status => ({ state: { waiting: { reason } } });
const terminated = (t: Status): Status => ({ state: { terminated: t } });
const cond = (type: string, status = 'True', reason?: string): Status => ({ type, status, reason });
const twoApps = { containers: [{ name: 'a' }, { name: 'b' }] };
const twoInits = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
const sidecarSpec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };

function cells(p: KubeObject): unknown[] {
  return podPrinter.cells(p, now);
}

describe('pod STATUS with init containers', () => {
  const initDone = { name: 'i1', ...terminated({ exitCode: 0, reason: 'Completed' }) };
  it.each<[string, KubeObject, string, string]>([
    [
      'first init running',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: running },
            { name: 'i2', ...waiting('PodInitializing') },
          ],
        },
        twoInits,
      ),
      'Init:0/2',
      '0/1',
    ],
    [
      'second init starting (PodInitializing is not shown)',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [initDone, { name: 'i2', ...waiting('PodInitializing') }],
        },
        twoInits,
      ),
      'Init:1/2',
      '0/1',
    ],
    [
      'init waiting reason',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [initDone, { name: 'i2', ...waiting('ImagePullBackOff') }],
        },
        twoInits,
      ),
      'Init:ImagePullBackOff',
      '0/1',
    ],
    [
      'init crash loop',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i1', ...waiting('CrashLoopBackOff') }, { name: 'i2' }],
        },
        twoInits,
      ),
      'Init:CrashLoopBackOff',
      '0/1',
    ],
    [
      'init failed with reason',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', ...terminated({ exitCode: 1, reason: 'Error' }) },
            { name: 'i2' },
          ],
        },
        twoInits,
      ),
      'Init:Error',
      '0/1',
    ],
    [
      'init failed with exit code',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i1', ...terminated({ exitCode: 3 }) }, { name: 'i2' }],
        },
        twoInits,
      ),
      'Init:ExitCode:3',
      '0/1',
    ],
    [
      'init killed by signal',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', ...terminated({ exitCode: 143, signal: 15 }) },
            { name: 'i2' },
          ],
        },
        twoInits,
      ),
      'Init:Signal:15',
      '0/1',
    ],
    [
      'inits done, app creating',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [initDone, { ...initDone, name: 'i2' }],
          containerStatuses: [{ name: 'app', ...waiting('ContainerCreating') }],
        },
        twoInits,
      ),
      'ContainerCreating',
      '0/1',
    ],
    [
      'inits done, app running',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [initDone, { ...initDone, name: 'i2' }],
          containerStatuses: [ready()],
        },
        twoInits,
      ),
      'Running',
      '1/1',
    ],
    [
      'sidecar started and ready counts as a container',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [{ name: 'proxy', started: true, ready: true, state: running }],
          containerStatuses: [ready()],
        },
        sidecarSpec,
      ),
      'Running',
      '2/2',
    ],
    [
      'sidecar started, not ready',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [{ name: 'proxy', started: true, ready: false, state: running }],
          containerStatuses: [ready()],
        },
        sidecarSpec,
      ),
      'Running',
      '1/2',
    ],
    [
      'sidecar not started yet',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'proxy', started: false, state: running }],
        },
        sidecarSpec,
      ),
      'Init:0/1',
      '0/2',
    ],
    [
      'initialized condition lets app containers speak',
      pod(
        {
          phase: 'Running',
          conditions: [cond('Initialized')],
          initContainerStatuses: [
            { name: 'i1', ...terminated({ exitCode: 1, reason: 'Error' }) },
            { name: 'i2' },
          ],
          containerStatuses: [{ name: 'app', ...waiting('CrashLoopBackOff') }],
        },
        twoInits,
      ),
      'CrashLoopBackOff',
      '0/1',
    ],
  ])('%s', (_name, p, status, readyText) => {
    const row = cells(p);
    expect(row[2]).toBe(status);
    expect(row[1]).toBe(readyText);
  });
});

describe('pod RESTARTS', () => {
  const lastState = (secondsAgo: number): Status => ({
    lastState: { terminated: { exitCode: 1, finishedAt: ago(secondsAgo) } },
  });
  it.each<[string, KubeObject, string]>([
    ['no restarts', pod({ phase: 'Running', containerStatuses: [ready()] }), '0'],
    [
      'restart with finishedAt',
      pod({
        phase: 'Running',
        containerStatuses: [ready('app', { restartCount: 1, ...lastState(5) })],
      }),
      '1 (5s ago)',
    ],
    [
      'restarts without lastState',
      pod({ phase: 'Running', containerStatuses: [ready('app', { restartCount: 2 })] }),
      '2',
    ],
    [
      'lastState but zero restarts',
      pod({ phase: 'Running', containerStatuses: [ready('app', lastState(5))] }),
      '0',
    ],
    [
      'summed over containers, newest finish wins',
      pod(
        {
          phase: 'Running',
          containerStatuses: [
            ready('a', { restartCount: 2, ...lastState(600) }),
            ready('b', { restartCount: 3, ...lastState(300) }),
          ],
        },
        twoApps,
      ),
      '5 (5m ago)',
    ],
    [
      'crash loop',
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'app', restartCount: 4, ...waiting('CrashLoopBackOff'), ...lastState(42) },
        ],
      }),
      '4 (42s ago)',
    ],
    [
      'init restarts count while initialising',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', restartCount: 2, ...waiting('CrashLoopBackOff'), ...lastState(30) },
            { name: 'i2' },
          ],
        },
        twoInits,
      ),
      '2 (30s ago)',
    ],
    [
      'init restarts forgotten once initialised',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [
            { name: 'i1', restartCount: 2, ...terminated({ exitCode: 0 }), ...lastState(30) },
            { name: 'i2', ...terminated({ exitCode: 0 }) },
          ],
          containerStatuses: [ready()],
        },
        twoInits,
      ),
      '0',
    ],
    [
      'sidecar restarts still count',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [
            {
              name: 'proxy',
              started: true,
              ready: true,
              state: running,
              restartCount: 1,
              ...lastState(60),
            },
          ],
          containerStatuses: [ready('app', { restartCount: 1, ...lastState(3600) })],
        },
        sidecarSpec,
      ),
      '2 (60s ago)',
    ],
  ])('%s', (_name, p, want) => {
    expect(cells(p)[3]).toBe(want);
  });
});
