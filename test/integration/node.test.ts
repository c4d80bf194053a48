// The node agent with real processes, driven by the real kubectl: pods run, pass probes, serve
// traffic, log, restart after kill -9 and failed liveness, crash-loop with backoff, finish with
// Kubernetes' phases, stop gracefully on delete, and report bad input as Kubernetes does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc([
    '--crashloop-initial-backoff',
    '1s',
    '--crashloop-max-backoff',
    '4s',
    '--metric-resolution',
    '1s',
  ]);
});

afterAll(async () => {
  await kp?.stop();
});

interface PodOptions {
  args?: string[];
  extra?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

function pod(name: string, opts: PodOptions = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: 'app',
          image: 'fixture',
          command: ['node', APP, ...(opts.args ?? [])],
          ports: [{ name: 'http', containerPort: 8080 }],
          ...opts.extra,
        },
      ],
      ...opts.spec,
    },
  });
}

function get(name: string, path: string): string {
  const r = kp.kubectl(['get', 'pod', name, '-o', `jsonpath={${path}}`]);
  return r.code === 0 ? r.stdout : '';
}

function row(name: string): string {
  return kp.kubectl(['get', 'pod', name, '--no-headers']).stdout.trim().replace(/\s+/g, ' ');
}

function hostPort(name: string, containerPort = 8080): number {
  const map = JSON.parse(get(name, '.metadata.annotations.kubeproc\\.io/port-map') || '{}');
  return Number(map[String(containerPort)]);
}

function containerPid(name: string, container = 'app'): number {
  const uid = get(name, '.metadata.uid');
  const restarts = get(name, `.status.containerStatuses[?(@.name=="${container}")].restartCount`);
  const file = join(kp.dir, 'data/pods', uid, container, `${restarts}.state.json`);
  const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; appPid?: number };
  return state.appPid ?? state.pid;
}

async function waitReady(name: string, timeoutMs = 30_000): Promise<void> {
  await eventually(
    `${name} Ready (${row(name)})`,
    () => get(name, '.status.conditions[?(@.type=="Ready")].status') === 'True',
    timeoutMs,
  );
}

function events(name: string): string {
  return kp.kubectlOk(['get', 'events', '--field-selector', `involvedObject.name=${name}`]);
}

describe('the node', () => {
  it('registers this machine as a Ready node with a heartbeat lease', async () => {
    await eventually('node Ready', () =>
      / Ready /.test(kp.kubectl(['get', 'nodes', '--no-headers']).stdout),
    );
    const nodeName = kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect(kp.kubectlOk(['get', 'lease', '-n', 'kube-node-lease', nodeName, '-o', 'name'])).toBe(
      `lease.coordination.k8s.io/${nodeName}\n`,
    );
    const describe = kp.kubectlOk(['describe', 'node', nodeName]);
    expect(describe).toMatch(/Capacity:\n\s+cpu:\s+\d+/);
    expect(describe).toMatch(/KubeletReady\s+kubelet is posting ready status/);
  });

  it('leaves a pod that fits nowhere Pending with a FailedScheduling event', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('too-big', { extra: { resources: { requests: { cpu: '1000' } } } }),
    );
    await eventually('FailedScheduling', () =>
      /FailedScheduling .*0\/1 nodes are available: 1 Insufficient cpu\./.test(events('too-big')),
    );
    expect(row('too-big')).toMatch(/^too-big 0\/1 Pending 0 /);
    kp.kubectlOk(['delete', 'pod', 'too-big', '--wait=false']);
  });
});

describe('a running pod', () => {
  beforeAll(async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('web', {
        extra: {
          env: [
            { name: 'GREETING', value: 'hi $(POD_NAME)' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
          // On a loaded machine node can take seconds to listen: liveness waits for that.
          startupProbe: {
            httpGet: { path: '/healthz', port: 'http' },
            periodSeconds: 1,
            failureThreshold: 60,
          },
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 1,
            failureThreshold: 2,
          },
          resources: {
            requests: { cpu: '100m', memory: '64Mi' },
            limits: { cpu: '500m', memory: '256Mi' },
          },
        },
      }),
    );
    await waitReady('web');
  });

  it('is Running and Ready on the node, with its port on the pod IP', async () => {
    expect(row('web')).toMatch(/^web 1\/1 Running 0 /);
    expect(get('web', '.status.podIP')).toBe('127.0.0.1');
    expect(get('web', '.status.qosClass')).toBe('Burstable');
    expect(get('web', '.status.conditions[*].type')).toBe(
      'PodReadyToStartContainers Initialized Ready ContainersReady PodScheduled',
    );
    const res = await fetch(`http://127.0.0.1:${hostPort('web')}/env`);
    const env = (await res.json()) as Record<string, string>;
    expect(env.PORT).toBe(String(hostPort('web')));
    expect(env.PORT_HTTP).toBe(String(hostPort('web')));
    expect(env.POD_NAME).toBe('web');
    expect(env.GREETING).toBe('hi $(POD_NAME)');
  });

  it('serves kubectl logs, with --tail and --timestamps', () => {
    expect(kp.kubectlOk(['logs', 'web'])).toMatch(/^listening on \d+\n/);
    const tail = kp.kubectlOk(['logs', 'web', '--tail=1', '--timestamps']);
    expect(tail).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \S+/);
    expect(tail.trim().split('\n')).toHaveLength(1);
  });

  it('restarts the container at once after kill -9, and RESTARTS goes up by one', async () => {
    const pid = containerPid('web');
    process.kill(pid, 'SIGKILL');
    await eventually(
      'a second instance running',
      () =>
        get('web', '.status.containerStatuses[0].restartCount') === '1' &&
        get('web', '.status.containerStatuses[0].state.running.startedAt') !== '',
      10_000,
    );
    expect(get('web', '.status.containerStatuses[0].lastState.terminated.exitCode')).toBe('137');
    expect(containerPid('web')).not.toBe(pid);
    await waitReady('web');
    expect(kp.kubectlOk(['logs', 'web', '--previous'])).toMatch(/^listening on/);
  });

  it('kills and restarts a container whose liveness probe fails', async () => {
    const before = Number(get('web', '.status.containerStatuses[0].restartCount'));
    await fetch(`http://127.0.0.1:${hostPort('web')}/fail`);
    await eventually(
      'a restart after liveness failure',
      () => Number(get('web', '.status.containerStatuses[0].restartCount')) === before + 1,
      20_000,
    );
    const ev = events('web');
    expect(ev).toMatch(/Unhealthy .*Liveness probe failed: HTTP probe failed with statuscode: 500/);
    expect(ev).toMatch(/Killing .*Container app failed liveness probe, will be restarted/);
  });

  it('turns unready when its readiness probe fails, and ready again', async () => {
    await waitReady('web');
    await fetch(`http://127.0.0.1:${hostPort('web')}/unready`);
    await eventually(
      'Ready=False',
      () => get('web', '.status.conditions[?(@.type=="Ready")].status') === 'False',
    );
    expect(get('web', '.status.conditions[?(@.type=="Ready")].reason')).toBe('ContainersNotReady');
    expect(row('web')).toMatch(/^web 0\/1 Running /);
    await fetch(`http://127.0.0.1:${hostPort('web')}/ready`, { method: 'POST' });
    await waitReady('web');
  });

  it('runs the process in the pod cgroup with the CPU quota of its limit', () => {
    const cgroup = readFileSync(`/proc/${containerPid('web')}/cgroup`, 'utf8');
    const uid = get('web', '.metadata.uid');
    expect(cgroup).toContain(`/kubepods/burstable/pod${uid}/app`);
    const cpuLine = cgroup
      .split('\n')
      .find((l) => /:cpu[,:]|:cpu,cpuacct:/.test(l) || /^\d+:cpu:/.test(l));
    if (cpuLine) {
      const dir = join('/sys/fs/cgroup/cpu', cpuLine.split(':')[2] ?? '');
      expect(readFileSync(join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('50000');
    }
  });

  it('stops on delete: Terminating while the grace period runs, then gone', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('stubborn', { args: ['--ignore-sigterm'], spec: { terminationGracePeriodSeconds: 6 } }),
    );
    await eventually('stubborn running', () => get('stubborn', '.status.phase') === 'Running');
    const pid = containerPid('stubborn');
    const started = Date.now();
    const deleting = kp.kubectl(['delete', 'pod', 'stubborn', '--wait=false']);
    expect(deleting.code).toBe(0);
    await eventually('Terminating', () => /Terminating/.test(row('stubborn')), 5_000);
    await eventually('pod gone', () => kp.kubectl(['get', 'pod', 'stubborn']).code !== 0, 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(events('stubborn')).toMatch(/Killing .*Stopping container app/);
  });
});

describe('restarts and phases', () => {
  it('backs off a crashing container (CrashLoopBackOff) and keeps the exit code', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('crasher', { args: ['--no-listen', '--exit-code', '3', '--exit-after', '0'] }),
    );
    await eventually(
      'CrashLoopBackOff',
      () => / CrashLoopBackOff /.test(` ${row('crasher')} `),
      30_000,
    );
    expect(get('crasher', '.status.containerStatuses[0].lastState.terminated.exitCode')).toBe('3');
    expect(get('crasher', '.status.containerStatuses[0].lastState.terminated.reason')).toBe(
      'Error',
    );
    // The waiting message lasts one backoff (1 s, then 2 s, then 4 s here): poll for it.
    await eventually('the back-off message', () =>
      /^back-off \d+s restarting failed container=app pod=crasher_default\(/.test(
        get('crasher', '.status.containerStatuses[0].state.waiting.message'),
      ),
    );
    expect(events('crasher')).toMatch(
      /BackOff .*Back-off restarting failed container app in pod crasher_default/,
    );
    kp.kubectlOk(['delete', 'pod', 'crasher']);
  });

  it.each([
    ['Never', '0', 'Succeeded', 'Completed'],
    ['Never', '2', 'Failed', 'Error'],
    ['OnFailure', '0', 'Succeeded', 'Completed'],
  ])('restartPolicy %s with exit %s ends %s (%s)', async (policy, code, phase, status) => {
    const name = `once-${policy.toLowerCase()}-${code}`;
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod(name, {
        args: ['--no-listen', '--exit-code', code, '--exit-after', '200'],
        spec: { restartPolicy: policy },
      }),
    );
    await eventually(`${name} ${phase}`, () => get(name, '.status.phase') === phase, 30_000);
    expect(row(name)).toMatch(new RegExp(`^${name} 0/1 ${status} 0 `));
    expect(get(name, '.status.containerStatuses[0].state.terminated.exitCode')).toBe(code);
    kp.kubectlOk(['delete', 'pod', name]);
  });

  it('runs init containers to completion, in order, before the app', async () => {
    const spec = JSON.parse(pod('with-init')) as { spec: Record<string, unknown> };
    spec.spec.initContainers = [
      {
        name: 'first',
        image: 'fixture',
        command: ['node', APP, '--no-listen', '--exit-after', '1500'],
      },
      {
        name: 'second',
        image: 'fixture',
        command: ['node', APP, '--no-listen', '--exit-after', '0'],
      },
    ];
    kp.kubectlOk(['apply', '-f', '-'], JSON.stringify(spec));
    await eventually('Init:0/2', () => / Init:0\/2 /.test(` ${row('with-init')} `), 10_000);
    await eventually(
      'with-init Running',
      () => get('with-init', '.status.phase') === 'Running',
      30_000,
    );
    const first = get('with-init', '.status.initContainerStatuses[0].state.terminated.finishedAt');
    const second = get('with-init', '.status.initContainerStatuses[1].state.terminated.startedAt');
    expect(get('with-init', '.status.initContainerStatuses[*].state.terminated.reason')).toBe(
      'Completed Completed',
    );
    expect(new Date(second).getTime()).toBeGreaterThanOrEqual(new Date(first).getTime());
    kp.kubectlOk(['delete', 'pod', 'with-init']);
  });
});

describe('stats', () => {
  it('reports the CPU and memory of a pod in the node stats summary', async () => {
    kp.kubectlOk(['apply', '-f', '-'], pod('burner', { args: ['--burn', '0.3'] }));
    const nodeName = kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    interface Summary {
      node: { cpu?: { usageNanoCores?: number }; memory?: { workingSetBytes?: number } };
      pods: {
        podRef: { name: string };
        containers: {
          name: string;
          cpu?: { usageNanoCores?: number };
          memory?: { workingSetBytes?: number };
        }[];
      }[];
    }
    let container: Summary['pods'][number]['containers'][number] | undefined;
    let summary: Summary | undefined;
    await eventually('a CPU rate for the burner', () => {
      summary = JSON.parse(
        kp.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/stats/summary`]),
      ) as Summary;
      container = summary.pods.find((p) => p.podRef.name === 'burner')?.containers[0];
      return (container?.cpu?.usageNanoCores ?? 0) > 0;
    });
    // 0.3 of a core asked; a loaded 2-core CI machine may give it less.
    expect(container?.cpu?.usageNanoCores).toBeGreaterThan(0.05e9);
    expect(container?.cpu?.usageNanoCores).toBeLessThan(0.6e9);
    expect(container?.memory?.workingSetBytes).toBeGreaterThan(1e6);
    expect(summary?.node.cpu?.usageNanoCores).toBeGreaterThan(0);
    kp.kubectlOk(['delete', 'pod', 'burner']);
  });
});

describe('images', () => {
  function kubeproc(...args: string[]): string {
    // Options go before `--`: what follows it is the image's cmd.
    const [group = '', verb = '', ...rest] = args;
    const argv = [BIN, group, verb, '--kubeconfig', kp.kubeconfig, ...rest];
    const r = spawnSync(process.execPath, argv, {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      throw new Error(`kubeproc ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  }

  it('runs a registered image: args replace its cmd, and a waiting pod starts once registered', async () => {
    kp.kubectlOk(['run', 'img-late', '--image=kubeproc/fixture:1', '--restart=Never']);
    await eventually(
      'ErrImagePull',
      () => get('img-late', '.status.containerStatuses[0].state.waiting.reason') === 'ErrImagePull',
    );
    expect(get('img-late', '.status.containerStatuses[0].state.waiting.message')).toContain(
      'kubeproc image add kubeproc/fixture:1 -- COMMAND',
    );
    kubeproc(
      'image',
      'add',
      'kubeproc/fixture:1',
      '--entrypoint',
      'node',
      '--',
      APP,
      '--no-listen',
      '--exit-after',
      '0',
    );
    await eventually(
      'img-late Succeeded',
      () => get('img-late', '.status.phase') === 'Succeeded',
      20_000,
    );
    expect(events('img-late')).toMatch(
      /Pulled .*Container image "kubeproc\/fixture:1" already present on machine/,
    );
    kp.kubectlOk([
      'run',
      'img-args',
      '--image=kubeproc/fixture:1',
      '--restart=Never',
      '--',
      APP,
      '--no-listen',
      '--exit-code',
      '4',
      '--exit-after',
      '0',
    ]);
    await eventually(
      'img-args Failed',
      () => get('img-args', '.status.phase') === 'Failed',
      20_000,
    );
    expect(get('img-args', '.status.containerStatuses[0].state.terminated.exitCode')).toBe('4');
    kp.kubectlOk(['delete', 'pod', 'img-late', 'img-args']);
    kubeproc('image', 'rm', 'kubeproc/fixture:1');
  });
});

describe('bad input', () => {
  it.each([
    ['no-image', 'ErrImagePull', { command: undefined }, /kubeproc image add fixture -- COMMAND/],
    [
      'no-binary',
      'RunContainerError',
      { command: ['definitely-not-a-command'] },
      /exec: "definitely-not-a-command": executable file not found in \$PATH/,
    ],
    [
      'bad-dir',
      'RunContainerError',
      { workingDir: '/does/not/exist' },
      /chdir to cwd \("\/does\/not\/exist"\)/,
    ],
    [
      'no-config',
      'CreateContainerConfigError',
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] },
      /configmap "missing" not found/,
    ],
  ])(
    '%s: the container waits with %s and a message naming the problem',
    async (name, reason, extra, message) => {
      kp.kubectlOk(['apply', '-f', '-'], pod(name, { extra }));
      await eventually(
        `${name} waiting ${reason}`,
        () => get(name, '.status.containerStatuses[0].state.waiting.reason') === reason,
        20_000,
      );
      expect(get(name, '.status.containerStatuses[0].state.waiting.message')).toMatch(message);
      expect(row(name)).toMatch(new RegExp(`^${name} 0/1 ${reason} 0 `));
      kp.kubectlOk(['delete', 'pod', name, '--grace-period=0', '--force']);
    },
  );

  it('starts a waiting container once the config map it needs exists', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('late-config', {
        extra: { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'late', key: 'k' } } }] },
      }),
    );
    await eventually(
      'CreateContainerConfigError',
      () =>
        get('late-config', '.status.containerStatuses[0].state.waiting.reason') ===
        'CreateContainerConfigError',
    );
    kp.kubectlOk(['create', 'configmap', 'late', '--from-literal=k=v']);
    await eventually(
      'late-config running',
      () => get('late-config', '.status.phase') === 'Running',
      20_000,
    );
    kp.kubectlOk(['delete', 'pod', 'late-config']);
  });
});

describe('limits', () => {
  const hasCgroups = (() => {
    try {
      return (
        readdirSync('/sys/fs/cgroup/memory').length > 0 ||
        readdirSync('/sys/fs/cgroup').includes('cgroup.controllers')
      );
    } catch {
      return false;
    }
  })();

  it.runIf(hasCgroups)('reports OOMKilled when a container exceeds its memory limit', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      pod('hog', {
        args: ['--alloc', '300'],
        extra: { resources: { limits: { memory: '64Mi' } } },
      }),
    );
    await eventually(
      'OOMKilled',
      () =>
        (get('hog', '.status.containerStatuses[0].lastState.terminated.reason') ||
          get('hog', '.status.containerStatuses[0].state.terminated.reason')) === 'OOMKilled',
      30_000,
    );
    expect(get('hog', '.status.containerStatuses[0].lastState.terminated.exitCode')).toBe('137');
    kp.kubectlOk(['delete', 'pod', 'hog', '--grace-period=0', '--force']);
  });
});
