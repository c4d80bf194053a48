// A container's life end to end with real processes and the real kubectl: postStart and preStop
// hooks (exec and httpGet), SIGTERM then SIGKILL of the whole group after the grace period,
// restartPolicy OnFailure and Always, and init containers that run or fail (Init:0/1, Init:Error).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { APP, fixturePod, podReader, type PodReader } from './pods.js';
import { tempDir } from './processes.js';

let kp: Kubeproc;
let pods: PodReader;
const marks = tempDir('kubeproc-lifecycle-');

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

function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Host pids of processes whose whole command line is `cmdline`. */
function pidsOf(cmdline: string): number[] {
  const out = spawnSync('pgrep', ['-fx', cmdline], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

describe('lifecycle hooks', () => {
  it('runs an exec postStart, and an httpGet preStop on the container port before SIGTERM', async () => {
    const appLog = join(marks, 'hooked.log');
    const started = join(marks, 'post-start');
    // The app logs each request to a file that outlives the pod; the shell adds the SIGTERM.
    const script = `node ${APP} >> ${appLog} & trap 'echo TERM >> ${appLog}; exit 0' TERM; wait`;
    apply(
      fixturePod('hooked', {
        command: ['sh', '-c', script],
        extra: {
          lifecycle: {
            postStart: { exec: { command: ['sh', '-c', `echo "$HOSTNAME" > ${started}`] } },
            preStop: { httpGet: { path: '/ready?from=preStop', port: 8080 } },
          },
          readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
        },
      }),
    );
    await pods.waitFor('Ready', 'hooked', () => pods.isReady('hooked'));
    expect(read(started)).not.toBe('');
    expect(pods.events('hooked').filter((e) => e.startsWith('Failed'))).toEqual([]);
    const pid = pods.appPid('hooked');
    kp.kubectlOk(['delete', 'pod', 'hooked', '--wait=false']);
    await eventually('the SIGTERM', () => read(appLog).includes('TERM\n'), 10_000);
    const lines = read(appLog).split('\n');
    const preStop = lines.indexOf('GET /ready?from=preStop HTTP/1.1');
    expect(preStop).toBeGreaterThan(0);
    expect(preStop).toBeLessThan(lines.indexOf('TERM'));
    await eventually('the app gone', () => !isAlive(pid), 15_000);
    await eventually('the pod gone', () => kp.kubectl(['get', 'pod', 'hooked']).code !== 0);
  });

  it('sends an httpGet postStart to an explicit host and port as kube-lifecycle', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push([req.url, req.headers['user-agent'], req.headers['x-hook']].join(' '));
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const httpGet = {
        host: '127.0.0.1',
        port,
        path: '/started',
        httpHeaders: [{ name: 'X-Hook', value: 'postStart' }],
      };
      apply(fixturePod('hook-host', { extra: { lifecycle: { postStart: { httpGet } } } }));
      await pods.waitFor('Running', 'hook-host', () => pods.isReady('hook-host'));
      await eventually('the postStart request', () => seen.length > 0);
      expect(seen).toEqual(['/started kube-lifecycle/1.32 postStart']);
    } finally {
      server.close();
    }
    kp.kubectlOk(['delete', 'pod', 'hook-host', '--grace-period=1', '--wait=false']);
  });

  it('kills and restarts a container whose postStart fails, with FailedPostStartHook', async () => {
    apply(
      fixturePod('hook-fail', {
        extra: {
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope; exit 2'] } } },
        },
      }),
    );
    await pods.waitFor('a restart', 'hook-fail', () => pods.restarts('hook-fail') >= 1);
    const uid = pods.get('hook-fail', '.metadata.uid');
    expect(pods.events('hook-fail')).toContain(
      `FailedPostStartHook: Exec lifecycle hook ([sh -c echo nope; exit 2]) for Container "app" in Pod "hook-fail_default(${uid})" failed - error: command 'sh -c echo nope; exit 2' exited with 2: , message: "nope\\n"`,
    );
    kp.kubectlOk(['delete', 'pod', 'hook-fail', '--grace-period=1', '--wait=false']);
  });

  it('reports a preStop httpGet on a missing port name and still stops the container', async () => {
    apply(
      fixturePod('prestop-bad', {
        extra: { lifecycle: { preStop: { httpGet: { path: '/bye', port: 'admin' } } } },
      }),
    );
    await pods.waitFor('Running', 'prestop-bad', () => pods.isReady('prestop-bad'));
    const uid = pods.get('prestop-bad', '.metadata.uid');
    const pid = pods.appPid('prestop-bad');
    kp.kubectlOk(['delete', 'pod', 'prestop-bad', '--wait=false']);
    await eventually('the app gone', () => !isAlive(pid), 15_000);
    const events = pods.events('prestop-bad');
    expect(events).toContain(
      `FailedPreStopHook: HTTP lifecycle hook (/bye) for Container "app" in Pod "prestop-bad_default(${uid})" failed - error: strconv.Atoi: parsing "admin": invalid syntax`,
    );
  });
});

describe('terminationGracePeriodSeconds', () => {
  it('sends SIGTERM to the group, then SIGKILLs every process in it after the grace period', async () => {
    const terms = join(marks, 'terms');
    // The shell records SIGTERM and goes on; its child ignores SIGTERM outright.
    const script = `(trap '' TERM; exec sleep 3171) & trap 'echo TERM >> ${terms}' TERM; while true; do sleep 0.2; done`;
    apply(
      fixturePod('group', {
        command: ['sh', '-c', script],
        spec: { terminationGracePeriodSeconds: 3 },
      }),
    );
    await pods.waitFor('Running', 'group', () => pods.isReady('group'));
    await eventually('the child sleeping', () => pidsOf('sleep 3171').length === 1);
    const [child = 0] = pidsOf('sleep 3171');
    const shell = pods.appPid('group');
    const started = Date.now();
    kp.kubectlOk(['delete', 'pod', 'group', '--wait=false']);
    await eventually('SIGTERM recorded', () => read(terms).startsWith('TERM'), 10_000);
    // Past the SIGTERM both are alive: the shell trapped it, the child ignored it.
    expect(isAlive(child)).toBe(true);
    await eventually('both killed', () => !isAlive(child) && !isAlive(shell), 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    await eventually('the pod gone', () => kp.kubectl(['get', 'pod', 'group']).code !== 0);
  });
});

describe('restartPolicy', () => {
  it('OnFailure restarts a failing container (CrashLoopBackOff) and keeps its exit code', async () => {
    apply(
      fixturePod('on-failure', {
        args: ['--no-listen', '--exit-code', '5', '--exit-after', '100'],
        spec: { restartPolicy: 'OnFailure' },
      }),
    );
    await pods.waitFor('two restarts', 'on-failure', () => pods.restarts('on-failure') >= 2);
    expect(
      pods.get('on-failure', '.status.containerStatuses[0].lastState.terminated.exitCode'),
    ).toBe('5');
    expect(pods.get('on-failure', '.status.phase')).toBe('Running');
    kp.kubectlOk(['delete', 'pod', 'on-failure', '--grace-period=1', '--wait=false']);
  });

  it('Always restarts a container that exits 0, its last state Completed', async () => {
    apply(fixturePod('always', { args: ['--no-listen', '--exit-after', '100'] }));
    await pods.waitFor('a restart', 'always', () => pods.restarts('always') >= 1);
    const last = '.status.containerStatuses[0].lastState.terminated';
    expect(pods.get('always', `${last}.reason`)).toBe('Completed');
    expect(pods.get('always', `${last}.exitCode`)).toBe('0');
    kp.kubectlOk(['delete', 'pod', 'always', '--grace-period=1', '--wait=false']);
  });

  it('restarts a container killed by SIGKILL within 1 s, reporting exit 137, signal 9, Error', async () => {
    apply(fixturePod('signalled'));
    await pods.waitFor('Running', 'signalled', () => pods.isReady('signalled'));
    const uid = pods.get('signalled', '.metadata.uid');
    const next = join(kp.dir, 'data/pods', uid, 'app', '1.state.json');
    process.kill(pods.appPid('signalled'), 'SIGKILL');
    const killedAt = Date.now();
    // The first restart is immediate, as in Kubernetes: the next run's state file appears at once.
    await eventually('the next run', () => existsSync(next), 5_000);
    const { startedAt } = JSON.parse(readFileSync(next, 'utf8')) as { startedAt: string };
    expect(Date.parse(startedAt) - killedAt).toBeLessThan(1_000);
    await pods.waitFor('a restart', 'signalled', () => pods.restarts('signalled') >= 1);
    const last = '.status.containerStatuses[0].lastState.terminated';
    expect(pods.get('signalled', `${last}.exitCode`)).toBe('137');
    expect(pods.get('signalled', `${last}.reason`)).toBe('Error');
    expect(pods.get('signalled', `${last}.signal`)).toBe('9');
    kp.kubectlOk(['delete', 'pod', 'signalled', '--grace-period=1', '--wait=false']);
  });
});

describe('init containers', () => {
  function withInit(name: string, init: string[], spec: Record<string, unknown> = {}): string {
    const pod = JSON.parse(fixturePod(name, { spec })) as { spec: Record<string, unknown> };
    pod.spec.initContainers = [{ name: 'setup', image: 'fixture', command: init }];
    return JSON.stringify(pod);
  }

  it('shows Init:0/1 while the only init container runs, then starts the app', async () => {
    const gate = join(marks, 'gate');
    apply(withInit('init-one', ['sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.2; done`]));
    await pods.waitFor('Init:0/1', 'init-one', () =>
      /^init-one 0\/1 Init:0\/1 0 /.test(pods.row('init-one')),
    );
    expect(pods.get('init-one', '.status.conditions[?(@.type=="Initialized")].status')).toBe(
      'False',
    );
    expect(pods.get('init-one', '.status.containerStatuses[0].state.waiting.reason')).toBe(
      'PodInitializing',
    );
    spawnSync('touch', [gate]);
    await pods.waitFor('Running', 'init-one', () => pods.isReady('init-one'));
    expect(pods.row('init-one')).toMatch(/^init-one 1\/1 Running 0 /);
    kp.kubectlOk(['delete', 'pod', 'init-one', '--grace-period=1', '--wait=false']);
  });

  it('fails the pod with Init:Error when an init container fails under restartPolicy Never', async () => {
    apply(withInit('init-never', ['sh', '-c', 'exit 4'], { restartPolicy: 'Never' }));
    await pods.waitFor(
      'Failed',
      'init-never',
      () => pods.get('init-never', '.status.phase') === 'Failed',
    );
    expect(pods.row('init-never')).toMatch(/^init-never 0\/1 Init:Error 0 /);
    expect(
      pods.get('init-never', '.status.initContainerStatuses[0].state.terminated.exitCode'),
    ).toBe('4');
    expect(pods.get('init-never', '.status.containerStatuses[0].state.waiting.reason')).toBe(
      'PodInitializing',
    );
    kp.kubectlOk(['delete', 'pod', 'init-never', '--wait=false']);
  });

  it('restarts a failing init container (Init:CrashLoopBackOff) and never starts the app', async () => {
    apply(withInit('init-loop', ['sh', '-c', 'exit 1']));
    await pods.waitFor('Init:CrashLoopBackOff', 'init-loop', () =>
      / Init:CrashLoopBackOff /.test(` ${pods.row('init-loop')} `),
    );
    expect(
      Number(pods.get('init-loop', '.status.initContainerStatuses[0].restartCount')),
    ).toBeGreaterThanOrEqual(1);
    expect(pods.get('init-loop', '.status.containerStatuses[0].state.running')).toBe('');
    kp.kubectlOk(['delete', 'pod', 'init-loop', '--grace-period=1', '--wait=false']);
  });
});
