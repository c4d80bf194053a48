// ContainerProbes: the startup probe gating liveness and readiness, started/ready as the status
// reports them, and one run on real timers against a real HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Container } from '../../apis/core/v1/types.js';
import { realClock } from '../../lib/clock.js';
import { ContainerProbes, type ContainerRuntimeStatus } from './container-probes.js';
import { FakeTimers } from './fake-timers.js';
import type { ExecResult, ProbeTarget } from './types.js';

/** A runtime whose exec plays one script of exit codes per command name. */
class FakeExecRuntime implements ProbeTarget {
  readonly ip = '127.0.0.1';
  readonly calls: Record<string, number[]> = {};
  private readonly t0S: number;
  constructor(
    private readonly timers: FakeTimers,
    private readonly scripts: Record<string, number[]>,
  ) {
    this.t0S = timers.now().getTime() / 1000;
  }

  exec = (command: string[]): Promise<ExecResult> => {
    const name = command[0] ?? '';
    const calls = (this.calls[name] ??= []);
    const script = this.scripts[name] ?? [0];
    const exitCode = script[Math.min(calls.length, script.length - 1)] ?? 0;
    calls.push(this.timers.now().getTime() / 1000 - this.t0S);
    return Promise.resolve({ exitCode });
  };
}

const execProbe = (name: string, failureThreshold = 3) => ({
  exec: { command: [name] },
  periodSeconds: 10,
  failureThreshold,
});

function setup(container: Container, scripts: Record<string, number[]>) {
  const timers = new FakeTimers();
  const runtime = new FakeExecRuntime(timers, scripts);
  const status: ContainerRuntimeStatus = {
    containerID: 'c1',
    state: 'running',
    startedAt: timers.now(),
  };
  const results: string[] = [];
  const probes = new ContainerProbes({
    container,
    target: runtime,
    clock: timers,
    timers,
    getStatus: () => status,
    onResult: (kind, result) => results.push(`${kind} ${result}`),
  });
  const ctl = new AbortController();
  const done = probes.start(ctl.signal);
  return { timers, runtime, probes, results, stop: () => (ctl.abort(), done) };
}

describe('ContainerProbes', () => {
  it('runs liveness and readiness only once the startup probe succeeds', async () => {
    const s = setup(
      {
        startupProbe: execProbe('startup', 5),
        livenessProbe: execProbe('liveness'),
        readinessProbe: execProbe('readiness'),
      },
      { startup: [1, 1, 0] },
    );
    await s.timers.advance(15_000);
    expect(s.runtime.calls).toEqual({ startup: [0, 10] });
    expect(s.probes.isStarted('c1')).toBe(false);
    expect(s.probes.isReady('c1')).toBe(false);
    await s.timers.advance(25_000);
    // Startup passes at 20s and readiness runs at once; liveness ticks right after startup.
    expect(s.runtime.calls).toEqual({
      startup: [0, 10, 20],
      liveness: [20, 30, 40],
      readiness: [20, 30, 40],
    });
    expect(s.probes.isStarted('c1')).toBe(true);
    expect(s.probes.isReady('c1')).toBe(true);
    expect(s.results).toEqual([
      'startup unknown',
      'liveness success',
      'readiness failure',
      'startup success',
      'readiness success',
    ]);
    await s.stop();
  });

  it('counts a container without startup probe as started, and without readiness probe as ready', async () => {
    const s = setup({ livenessProbe: execProbe('liveness') }, {});
    expect(s.probes.isStarted('c1')).toBe(true);
    expect(s.probes.isReady('c1')).toBe(true);
    expect(s.probes.hasProbe('readiness')).toBe(false);
    await s.stop();
  });

  it('runs a readiness probe at once when the status asks for readiness it does not have', async () => {
    const s = setup({ readinessProbe: execProbe('readiness', 1) }, { readiness: [1, 0] });
    await s.timers.advance(3_000);
    expect(s.probes.isReady('c1')).toBe(false);
    await s.timers.advance(0);
    expect(s.runtime.calls).toEqual({ readiness: [0, 3] });
    expect(s.probes.result('readiness', 'c1')).toBe('success');
    expect(s.probes.isReady('c1')).toBe(true);
    await s.stop();
  });
});

describe('ContainerProbes on real timers', () => {
  it('follows an HTTP readiness endpoint going up and down', async () => {
    let code = 200;
    const server = http.createServer((_req, res) => res.writeHead(code).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const results: string[] = [];
    const events: string[] = [];
    const probes = new ContainerProbes({
      container: {
        readinessProbe: {
          httpGet: { port, path: '/ready' },
          periodSeconds: 1,
          failureThreshold: 1,
        },
      },
      target: { ip: '127.0.0.1' },
      clock: realClock,
      getStatus: () => ({ containerID: 'c1', state: 'running', startedAt: new Date(0) }),
      onResult: (kind, result) => results.push(`${kind} ${result}`),
      onEvent: (_kind, e) => events.push(e.message),
    });
    const ctl = new AbortController();
    const done = probes.start(ctl.signal);
    try {
      await expect
        .poll(() => results, { timeout: 5_000 })
        .toEqual(['readiness failure', 'readiness success']);
      code = 503;
      await expect.poll(() => results.at(-1), { timeout: 5_000 }).toBe('readiness failure');
      expect(events[0]).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
    } finally {
      ctl.abort();
      await done;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
