// ProbeWorker timing and thresholds under FakeTimers, with a runtime double whose exec plays a
// script of exit codes: when probes run, what gets reported, and when the worker stops.
import { describe, expect, it } from 'vitest';
import type { Probe } from '../../apis/core/v1/types.js';
import { FakeTimers } from './fake-timers.js';
import type { ExecResult, ProbeKind, ProbeTarget } from './types.js';
import { ProbeWorker, type ProbeContainerStatus } from './worker.js';

/** A runtime whose exec exits with scripted codes, optionally taking fake time to do so. */
class FakeExecRuntime implements ProbeTarget {
  readonly ip = '127.0.0.1';
  readonly callsAtS: number[] = [];
  constructor(
    private readonly timers: FakeTimers,
    private readonly t0: number,
    private readonly steps: (number | Error)[],
    private readonly delayMs = 0,
  ) {}

  exec = (): Promise<ExecResult> => {
    const i = this.callsAtS.length;
    this.callsAtS.push((this.timers.now().getTime() - this.t0) / 1000);
    const step = this.steps[Math.min(i, this.steps.length - 1)] ?? 0;
    if (step instanceof Error) {
      return Promise.reject(step);
    }
    const result = { exitCode: step, stdout: `run ${i + 1}` };
    if (this.delayMs === 0) {
      return Promise.resolve(result);
    }
    return new Promise((resolve) => this.timers.setTimeout(() => resolve(result), this.delayMs));
  };
}

interface Setup {
  kind: ProbeKind;
  probe?: Partial<Probe>;
  steps?: (number | Error)[];
  status?: Partial<ProbeContainerStatus>;
  delayMs?: number;
  agentStartedAgoS?: number;
  random?: () => number;
}

function startWorker(setup: Setup) {
  const timers = new FakeTimers();
  const t0 = timers.now().getTime();
  const runtime = new FakeExecRuntime(timers, t0, setup.steps ?? [0], setup.delayMs);
  const status: ProbeContainerStatus = {
    containerID: 'c1',
    state: 'running',
    startedAt: new Date(t0),
    isStarted: setup.kind !== 'startup',
    ...setup.status,
  };
  let hasStatus = true;
  const reports: string[] = [];
  const events: string[] = [];
  const at = (): string => `${(timers.now().getTime() - t0) / 1000}s`;
  const ago = setup.agentStartedAgoS;
  const worker = new ProbeWorker({
    kind: setup.kind,
    probe: { exec: { command: ['check'] }, ...setup.probe },
    target: runtime,
    clock: timers,
    timers,
    getStatus: () => (hasStatus ? status : undefined),
    onResult: (_kind, result, _message, id) => reports.push(`${at()} ${id} ${result}`),
    onEvent: (_kind, e) => events.push(`${at()} ${e.reason} ${e.message}`),
    agentStartedAt: ago === undefined ? undefined : new Date(t0 - ago * 1000),
    random: setup.random,
  });
  const ctl = new AbortController();
  let isDone = false;
  const done = worker.start(ctl.signal).then(() => {
    isDone = true;
  });
  return {
    timers,
    runtime,
    status,
    reports,
    events,
    worker,
    isDone: () => isDone,
    setHasStatus: (v: boolean) => (hasStatus = v),
    stop: async () => {
      ctl.abort();
      await done;
    },
  };
}

interface ThresholdCase extends Setup {
  name: string;
  seconds: number;
  reports: string[];
  calls: number[];
}

const thresholdCases: ThresholdCase[] = [
  {
    name: 'readiness starts failed and passes on its first success',
    kind: 'readiness',
    seconds: 30,
    reports: ['0s c1 failure', '0s c1 success'],
    calls: [0, 10, 20, 30],
  },
  {
    name: 'readiness fails after failureThreshold failures in a row',
    kind: 'readiness',
    probe: { failureThreshold: 3 },
    steps: [0, 1, 1, 1],
    seconds: 40,
    reports: ['0s c1 failure', '0s c1 success', '30s c1 failure'],
    calls: [0, 10, 20, 30, 40],
  },
  {
    name: 'readiness needs successThreshold successes in a row',
    kind: 'readiness',
    probe: { successThreshold: 3 },
    steps: [0, 1, 0, 0, 0],
    seconds: 50,
    reports: ['0s c1 failure', '40s c1 success'],
    calls: [0, 10, 20, 30, 40, 50],
  },
  {
    name: 'defaults (period 10, failureThreshold 3) report no repeat of the initial failure',
    kind: 'readiness',
    steps: [1],
    seconds: 30,
    reports: ['0s c1 failure'],
    calls: [0, 10, 20, 30],
  },
  {
    name: 'a success resets the liveness failure count; a failure puts it on hold',
    kind: 'liveness',
    probe: { failureThreshold: 3 },
    steps: [1, 1, 0, 1, 1, 1],
    seconds: 80,
    reports: ['0s c1 success', '50s c1 failure'],
    calls: [0, 10, 20, 30, 40, 50],
  },
  {
    name: 'liveness with failureThreshold 1 fails on the first failure',
    kind: 'liveness',
    probe: { failureThreshold: 1 },
    steps: [1],
    seconds: 20,
    reports: ['0s c1 success', '0s c1 failure'],
    calls: [0],
  },
  {
    name: 'startup starts unknown, succeeds, then stops probing',
    kind: 'startup',
    probe: { failureThreshold: 5 },
    steps: [1, 1, 0],
    seconds: 40,
    reports: ['0s c1 unknown', '20s c1 success'],
    calls: [0, 10, 20],
  },
  {
    name: 'startup fails after failureThreshold failures',
    kind: 'startup',
    probe: { failureThreshold: 2 },
    steps: [1],
    seconds: 40,
    reports: ['0s c1 unknown', '10s c1 failure'],
    calls: [0, 10],
  },
  {
    name: 'initialDelaySeconds skips ticks until the first one past the delay',
    kind: 'readiness',
    probe: { initialDelaySeconds: 15 },
    seconds: 30,
    reports: ['0s c1 failure', '20s c1 success'],
    calls: [20, 30],
  },
  {
    name: 'periodSeconds spaces the probes',
    kind: 'liveness',
    probe: { periodSeconds: 3 },
    seconds: 9,
    reports: ['0s c1 success'],
    calls: [0, 3, 6, 9],
  },
];

describe('ProbeWorker thresholds and timing', () => {
  it.each(thresholdCases)('$name', async (c) => {
    const w = startWorker(c);
    await w.timers.advance(c.seconds * 1000);
    expect(w.reports).toEqual(c.reports);
    expect(w.runtime.callsAtS).toEqual(c.calls);
    await w.stop();
    expect(w.timers.pendingCount).toBe(0);
  });

  it('records an Unhealthy event for every failure, not only thresholded ones', async () => {
    const w = startWorker({ kind: 'liveness', steps: [1, 1, 0] });
    await w.timers.advance(20_000);
    expect(w.events).toEqual([
      '0s Unhealthy Liveness probe failed: run 1',
      '10s Unhealthy Liveness probe failed: run 2',
    ]);
    expect(w.reports).toEqual(['0s c1 success']);
    await w.stop();
  });

  it('throws errored runs away without counting them', async () => {
    const w = startWorker({ kind: 'readiness', steps: [new Error('runtime down')] });
    await w.timers.advance(10_000);
    expect(w.reports).toEqual(['0s c1 failure']);
    expect(w.runtime.callsAtS).toEqual([0, 0, 0, 10, 10, 10]);
    expect(w.events).toEqual([
      '0s Unhealthy Readiness probe errored and resulted in unknown state: runtime down',
      '10s Unhealthy Readiness probe errored and resulted in unknown state: runtime down',
    ]);
    await w.stop();
  });
});

describe('ProbeWorker and the container it watches', () => {
  it('holds liveness back until the container has started', async () => {
    const w = startWorker({ kind: 'liveness', status: { isStarted: false } });
    await w.timers.advance(30_000);
    expect(w.runtime.callsAtS).toEqual([]);
    w.status.isStarted = true;
    await w.timers.advance(10_000);
    expect(w.runtime.callsAtS).toEqual([40]);
    await w.stop();
  });

  it('does not run startup for a container that has started', async () => {
    const w = startWorker({ kind: 'startup', status: { isStarted: true } });
    await w.timers.advance(30_000);
    expect(w.runtime.callsAtS).toEqual([]);
    expect(w.reports).toEqual(['0s c1 unknown']);
    await w.stop();
  });

  it('resumes with the initial value when a failed container is replaced', async () => {
    const w = startWorker({ kind: 'liveness', probe: { failureThreshold: 1 }, steps: [1, 0] });
    await w.timers.advance(15_000);
    expect(w.reports).toEqual(['0s c1 success', '0s c1 failure']);
    w.status.containerID = 'c2';
    w.status.startedAt = w.timers.now();
    await w.timers.advance(15_000);
    expect(w.reports).toEqual(['0s c1 success', '0s c1 failure', '20s c2 success']);
    expect(w.runtime.callsAtS).toEqual([0, 20, 30]);
    expect(w.worker.resultFor('c2')).toBe('success');
    expect(w.worker.resultFor('c1')).toBeUndefined();
    await w.stop();
  });

  it('reports failure for a container that is not running, and probes it again once it runs', async () => {
    const w = startWorker({ kind: 'readiness' });
    await w.timers.advance(5_000);
    w.status.state = 'waiting';
    await w.timers.advance(10_000);
    expect(w.reports).toEqual(['0s c1 failure', '0s c1 success', '10s c1 failure']);
    w.status.state = 'running';
    await w.timers.advance(10_000);
    expect(w.reports.at(-1)).toBe('20s c1 success');
    expect(w.runtime.callsAtS).toEqual([0, 20]);
    await w.stop();
  });

  it.each([
    [
      'a container terminated under restartPolicy Never',
      { state: 'terminated', restartPolicy: 'Never' },
      true,
    ],
    [
      'a container terminated under restartPolicy Always',
      { state: 'terminated', restartPolicy: 'Always' },
      false,
    ],
    ['a Succeeded pod', { podPhase: 'Succeeded' }, true],
    ['a Failed pod', { podPhase: 'Failed' }, true],
    ['a deleted pod, for liveness', { isPodDeleting: true }, true],
  ] as const)('stops for %s: %s', async (_name, change, isFinal) => {
    const w = startWorker({ kind: 'liveness' });
    await w.timers.advance(5_000);
    Object.assign(w.status, change);
    await w.timers.advance(5_000);
    expect(w.isDone()).toBe(isFinal);
    await w.stop();
    expect(w.timers.pendingCount).toBe(0);
  });

  it('keeps probing readiness of a pod being deleted', async () => {
    const w = startWorker({ kind: 'readiness', status: { isPodDeleting: true } });
    await w.timers.advance(10_000);
    expect(w.isDone()).toBe(false);
    expect(w.runtime.callsAtS).toEqual([0, 10]);
    await w.stop();
  });

  it('waits while the pod has no status', async () => {
    const w = startWorker({ kind: 'readiness' });
    w.setHasStatus(false);
    await w.timers.advance(0);
    w.runtime.callsAtS.length = 0;
    await w.timers.advance(20_000);
    expect(w.runtime.callsAtS).toEqual([]);
    w.setHasStatus(true);
    await w.timers.advance(10_000);
    expect(w.runtime.callsAtS).toEqual([30]);
    await w.stop();
  });
});

describe('ProbeWorker scheduling', () => {
  it('runs at once on trigger() and restarts the period from there', async () => {
    const w = startWorker({ kind: 'readiness' });
    await w.timers.advance(3_000);
    w.worker.trigger();
    await w.timers.advance(20_000);
    expect(w.runtime.callsAtS).toEqual([0, 3, 13, 23]);
    await w.stop();
  });

  it.each([
    ['jitters the first probe when the agent just started', 0, [5, 15]],
    ['does not jitter once the agent has run for a period', 60, [0, 10]],
  ])('%s', async (_name, agoS, calls) => {
    const w = startWorker({ kind: 'liveness', agentStartedAgoS: agoS, random: () => 0.5 });
    await w.timers.advance(15_000);
    expect(w.runtime.callsAtS).toEqual(calls);
    await w.stop();
  });

  it('runs one missed tick right after a probe slower than the period', async () => {
    const w = startWorker({ kind: 'liveness', delayMs: 25_000 });
    await w.timers.advance(45_000);
    expect(w.runtime.callsAtS).toEqual([0, 25]);
    await w.stop();
  });

  it('stops promptly while a probe is running, reporting nothing for it', async () => {
    const w = startWorker({ kind: 'readiness', delayMs: 25_000 });
    await w.timers.advance(5_000);
    await w.stop();
    expect(w.isDone()).toBe(true);
    expect(w.reports).toEqual(['0s c1 failure']);
  });
});
