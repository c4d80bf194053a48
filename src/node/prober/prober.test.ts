// probeContainer: the kubelet prober's retries on error and its Unhealthy/ProbeWarning events,
// against a runtime double for exec and a real HTTP server for redirects.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../apis/core/v1/types.js';
import { probeContainer, type ProbeEvent } from './prober.js';
import type { ExecResult, ProbeKind, ProbeTarget } from './types.js';

/** A runtime whose exec plays a script: an exit code with output, or an error thrown. */
class FakeExecRuntime implements ProbeTarget {
  readonly ip = '127.0.0.1';
  calls = 0;
  constructor(private readonly script: (ExecResult | Error)[]) {}

  exec = (): Promise<ExecResult> => {
    const step = this.script[Math.min(this.calls++, this.script.length - 1)];
    return step instanceof Error || step === undefined
      ? Promise.reject(step ?? new Error('empty script'))
      : Promise.resolve(step);
  };
}

const execProbe: Probe = { exec: { command: ['check'] }, timeoutSeconds: 1 };

async function probeWith(kind: ProbeKind, probe: Probe, target: ProbeTarget) {
  const events: ProbeEvent[] = [];
  const outcome = await probeContainer(kind, probe, target, { onEvent: (e) => events.push(e) });
  return { outcome, events };
}

let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(302, { Location: `http://localhost:${port}/` }).end('elsewhere');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('probeContainer', () => {
  it.each([
    ['liveness', { exitCode: 0, stdout: 'fine' }, 'success', []],
    [
      'liveness',
      { exitCode: 1, stdout: 'bad\n' },
      'failure',
      ['Unhealthy: Liveness probe failed: bad\n'],
    ],
    [
      'readiness',
      { exitCode: 2, stderr: 'no' },
      'failure',
      ['Unhealthy: Readiness probe failed: no'],
    ],
    ['startup', { exitCode: 1 }, 'failure', ['Unhealthy: Startup probe failed: ']],
    [
      'liveness',
      { exitCode: 0, isTimedOut: true },
      'failure',
      ['Unhealthy: Liveness probe failed: command "check" timed out'],
    ],
  ] as const)('%s with %j gives %s', async (kind, step, result, events) => {
    const got = await probeWith(kind, execProbe, new FakeExecRuntime([step]));
    expect(got.outcome).toMatchObject({ result, isError: false });
    expect(got.events.map((e) => `${e.reason}: ${e.message}`)).toEqual(events);
  });

  it('retries an errored run up to 3 times, then reports the error once', async () => {
    const runtime = new FakeExecRuntime([new Error('container not found')]);
    const got = await probeWith('startup', execProbe, runtime);
    expect(runtime.calls).toBe(3);
    expect(got.outcome).toEqual({
      result: 'failure',
      isError: true,
      message: 'container not found',
    });
    expect(got.events).toEqual([
      {
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Startup probe errored and resulted in unknown state: container not found',
      },
    ]);
  });

  it('takes the first run that does not error', async () => {
    const runtime = new FakeExecRuntime([new Error('busy'), { exitCode: 0 }]);
    const got = await probeWith('readiness', execProbe, runtime);
    expect(runtime.calls).toBe(2);
    expect(got.outcome.result).toBe('success');
    expect(got.events).toEqual([]);
  });

  it('records a ProbeWarning for a redirect to another host and counts it a success', async () => {
    const probe: Probe = { httpGet: { port, path: '/' }, timeoutSeconds: 1 };
    const got = await probeWith('readiness', probe, { ip: '127.0.0.1' });
    expect(got.outcome).toMatchObject({ result: 'success', isError: false });
    expect(got.events).toEqual([
      {
        type: 'Warning',
        reason: 'ProbeWarning',
        message: 'Readiness probe warning: Probe terminated redirects, Response body: elsewhere',
      },
    ]);
  });

  it('reports a probe without a handler as an error', async () => {
    const got = await probeWith('liveness', { timeoutSeconds: 1 }, { ip: '127.0.0.1' });
    expect(got.outcome.isError).toBe(true);
    expect(got.events[0]?.message).toBe(
      'Liveness probe errored and resulted in unknown state: missing probe handler',
    );
  });
});
