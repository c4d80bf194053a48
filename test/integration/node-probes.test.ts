// Probes end to end with real processes and the real kubectl: exec liveness and readiness, grpc
// health checks against the fixture app's HTTP/2 server, httpGet's host, headers, initial delay and
// success threshold, tcpSocket, a startup probe holding off liveness, an httpGet timeout, and a
// probe on a port name the container does not have.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { fixturePod, podReader, type PodReader } from './pods.js';
import { tempDir } from './processes.js';

let kp: Kubeproc;
let pods: PodReader;
const marks = tempDir('kubeproc-probes-');

beforeAll(async () => {
  kp = await startKubeproc(['--crashloop-initial-backoff', '1s', '--crashloop-max-backoff', '2s']);
  pods = podReader(kp);
});

afterAll(async () => {
  await kp?.stop();
  rmSync(marks, { recursive: true, force: true });
});

function apply(manifest: string): void {
  kp.kubectlOk(['apply', '-f', '-'], manifest);
}

function remove(name: string): void {
  kp.kubectlOk(['delete', 'pod', name, '--grace-period=1', '--wait=false']);
}

// Short periods, but generous timeouts: an exec probe's nsenter is slow on a loaded machine.
const fast = { periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 };

/** Retries a request to the app until it answers: a restart may be under way. */
async function poke(url: string): Promise<void> {
  await eventually(`an answer from ${url}`, async () => {
    try {
      return (await fetch(url)).ok;
    } catch {
      return false;
    }
  });
}

describe('exec probes', () => {
  it('restarts a container whose liveness command fails, with Unhealthy and Killing events', async () => {
    const dead = join(marks, 'dead');
    const command = ['sh', '-c', `if [ -e ${dead} ]; then echo dead marker found; exit 3; fi`];
    apply(fixturePod('exec-live', { extra: { livenessProbe: { exec: { command }, ...fast } } }));
    await pods.waitFor('exec-live running', 'exec-live', () => pods.isReady('exec-live'));
    writeFileSync(dead, '');
    await pods.waitFor('the Killing event', 'exec-live', () =>
      pods.events('exec-live').some((e) => e.startsWith('Killing:')),
    );
    rmSync(dead);
    await pods.waitFor('a restart', 'exec-live', () => pods.restarts('exec-live') >= 1);
    const events = pods.events('exec-live');
    expect(events).toContain('Unhealthy: Liveness probe failed: dead marker found\n');
    expect(events).toContain('Killing: Container app failed liveness probe, will be restarted');
    await pods.waitFor('Ready again', 'exec-live', () => pods.isReady('exec-live'));
    remove('exec-live');
  });

  it('drives Ready and ContainersReady from a readiness command', async () => {
    const ready = join(marks, 'ready');
    const probe = { exec: { command: ['cat', ready] }, periodSeconds: 1, timeoutSeconds: 5 };
    apply(fixturePod('exec-ready', { extra: { readinessProbe: probe } }));
    await pods.waitFor('Running', 'exec-ready', () =>
      /^exec-ready 0\/1 Running 0 /.test(pods.row('exec-ready')),
    );
    await pods.waitFor('the failed readiness event', 'exec-ready', () =>
      pods
        .events('exec-ready')
        .includes(`Unhealthy: Readiness probe failed: cat: ${ready}: No such file or directory\n`),
    );
    writeFileSync(ready, 'yes\n');
    await pods.waitFor('Ready', 'exec-ready', () => pods.isReady('exec-ready'));
    expect(pods.get('exec-ready', '.status.conditions[?(@.type=="ContainersReady")].status')).toBe(
      'True',
    );
    rmSync(ready);
    await pods.waitFor('unready', 'exec-ready', () => !pods.isReady('exec-ready'));
    expect(pods.get('exec-ready', '.status.conditions[?(@.type=="Ready")].reason')).toBe(
      'ContainersNotReady',
    );
    expect(pods.restarts('exec-ready')).toBe(0);
    remove('exec-ready');
  });
});

describe('grpc probes', () => {
  const ports = [
    { name: 'http', containerPort: 8080 },
    { name: 'grpc', containerPort: 9090 },
  ];

  it('checks grpc.health.v1 on the container port, and restarts on NOT_SERVING', async () => {
    apply(
      fixturePod('grpc-live', {
        args: ['--grpc'],
        extra: {
          ports,
          readinessProbe: { grpc: { port: 9090, service: 'app' }, periodSeconds: 1 },
          livenessProbe: {
            grpc: { port: 9090 },
            periodSeconds: 1,
            failureThreshold: 2,
            timeoutSeconds: 5,
          },
        },
      }),
    );
    await pods.waitFor('Ready', 'grpc-live', () => pods.isReady('grpc-live'));
    // The app logs each Check with the service asked for and the prober's User-Agent.
    await pods.waitFor('both services checked', 'grpc-live', () => {
      const log = kp.kubectl(['logs', 'grpc-live']).stdout;
      return (
        log.includes('grpc Check service="app" ua=kube-probe/1.32') &&
        log.includes('grpc Check service="" ua=kube-probe/1.32')
      );
    });
    await poke(`http://127.0.0.1:${pods.hostPort('grpc-live')}/fail`);
    await pods.waitFor('a restart', 'grpc-live', () => pods.restarts('grpc-live') >= 1);
    expect(pods.events('grpc-live')).toEqual(
      expect.arrayContaining([
        'Unhealthy: Liveness probe failed: service unhealthy (responded with "NOT_SERVING")',
        'Killing: Container app failed liveness probe, will be restarted',
      ]),
    );
    await pods.waitFor('Ready again', 'grpc-live', () => pods.isReady('grpc-live'));
    remove('grpc-live');
  });

  it('keeps a pod unready while its grpc service is unknown to the server', async () => {
    apply(
      fixturePod('grpc-unknown', {
        args: ['--grpc'],
        extra: { ports, readinessProbe: { grpc: { port: 9090, service: 'db' }, periodSeconds: 1 } },
      }),
    );
    const message =
      'Unhealthy: Readiness probe failed: error: health rpc probe failed: rpc error: code = NotFound desc = unknown service';
    await pods.waitFor('the NotFound event', 'grpc-unknown', () =>
      pods.events('grpc-unknown').includes(message),
    );
    expect(pods.row('grpc-unknown')).toMatch(/^grpc-unknown 0\/1 Running 0 /);
    remove('grpc-unknown');
  });
});

describe('httpGet probe fields', () => {
  it('waits initialDelaySeconds, sends host, path and headers, and needs successThreshold', async () => {
    const seen: { at: number; line: string }[] = [];
    const server = createServer((req, res) => {
      const line = [req.url, req.headers['user-agent'], req.headers['x-probe']].join(' ');
      seen.push({ at: Date.now(), line });
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const httpGet = {
        host: '127.0.0.1',
        port,
        path: '/probe?x=1',
        httpHeaders: [{ name: 'x-probe', value: 'readiness' }],
      };
      const probe = { httpGet, initialDelaySeconds: 3, periodSeconds: 1, successThreshold: 2 };
      apply(fixturePod('fields', { extra: { readinessProbe: probe } }));
      await pods.waitFor('Ready', 'fields', () => pods.isReady('fields'), 40_000);
      // Ready flips only after the second success in a row.
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[0]?.line).toBe('/probe?x=1 kube-probe/1.32 readiness');
      const startedAt = Date.parse(
        pods.get('fields', '.status.containerStatuses[0].state.running.startedAt'),
      );
      // startedAt has whole seconds, so it is at most as late as the real start.
      expect((seen[0]?.at ?? 0) - startedAt).toBeGreaterThanOrEqual(3_000);
    } finally {
      server.close();
    }
    remove('fields');
  });
});

describe('tcpSocket, timeouts and bad ports', () => {
  it('is Ready by a tcpSocket probe on a named port', async () => {
    apply(
      fixturePod('tcp-ready', {
        args: ['--tcp-only'],
        extra: { readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 1 } },
      }),
    );
    await pods.waitFor('Ready', 'tcp-ready', () => pods.isReady('tcp-ready'));
    remove('tcp-ready');
  });

  it('fails an httpGet liveness probe that gets no answer within timeoutSeconds', async () => {
    apply(
      fixturePod('hanging', {
        extra: {
          livenessProbe: {
            httpGet: { path: '/healthz', port: 'http' },
            timeoutSeconds: 1,
            periodSeconds: 1,
            failureThreshold: 2,
          },
        },
      }),
    );
    await pods.waitListening('hanging');
    const port = pods.hostPort('hanging');
    await poke(`http://127.0.0.1:${port}/hang`);
    const message = `Unhealthy: Liveness probe failed: Get "http://127.0.0.1:${port}/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
    await pods.waitFor('the timeout event', 'hanging', () =>
      pods.events('hanging').includes(message),
    );
    await pods.waitFor('a restart', 'hanging', () => pods.restarts('hanging') >= 1);
    remove('hanging');
  });

  it('reports a probe on a missing port name as errored, and leaves the container running', async () => {
    apply(
      fixturePod('no-port', {
        extra: {
          readinessProbe: { httpGet: { path: '/ready', port: 'metrics' }, periodSeconds: 1 },
          livenessProbe: { tcpSocket: { port: 'admin' }, ...fast },
        },
      }),
    );
    await pods.waitFor('both errored events', 'no-port', () => {
      const events = pods.events('no-port');
      return (
        events.includes(
          'Unhealthy: Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax',
        ) &&
        events.includes(
          'Unhealthy: Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "admin": invalid syntax',
        )
      );
    });
    // An errored liveness probe is thrown away, never counted: no restart, only unready.
    expect(pods.row('no-port')).toMatch(/^no-port 0\/1 Running 0 /);
    await pods.waitListening('no-port');
    const res = await fetch(`http://127.0.0.1:${pods.hostPort('no-port')}/`);
    expect(await res.text()).toMatch(/^Hello from /);
    expect(pods.restarts('no-port')).toBe(0);
    remove('no-port');
  });
});

describe('startup probes', () => {
  it('hold liveness off until they succeed, then liveness applies', async () => {
    const started = join(marks, 'started');
    const startupRuns = join(marks, 'startup-runs');
    const livenessRuns = join(marks, 'liveness-runs');
    apply(
      fixturePod('slow-start', {
        extra: {
          startupProbe: {
            exec: { command: ['sh', '-c', `echo x >> ${startupRuns}; test -e ${started}`] },
            periodSeconds: 1,
            timeoutSeconds: 5,
            failureThreshold: 60,
          },
          livenessProbe: {
            exec: { command: ['sh', '-c', `echo x >> ${livenessRuns}; echo still bad; exit 1`] },
            ...fast,
          },
        },
      }),
    );
    const runs = (file: string): number =>
      existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
    // Three failed startup periods: a liveness probe with failureThreshold 1 would have killed it.
    await pods.waitFor('3 startup probe runs', 'slow-start', () => runs(startupRuns) >= 3);
    expect(runs(livenessRuns)).toBe(0);
    expect(pods.restarts('slow-start')).toBe(0);
    expect(pods.get('slow-start', '.status.containerStatuses[0].started')).toBe('false');
    expect(pods.events('slow-start')).toContain('Unhealthy: Startup probe failed: ');
    writeFileSync(started, '');
    await pods.waitFor('a liveness restart', 'slow-start', () => pods.restarts('slow-start') >= 1);
    expect(runs(livenessRuns)).toBeGreaterThan(0);
    expect(pods.events('slow-start')).toContain('Unhealthy: Liveness probe failed: still bad\n');
    remove('slow-start');
  });
});
