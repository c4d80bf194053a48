// What a container is started with, end to end: argv without a shell, $(VAR) expansion, env from
// fieldRef, resourceFieldRef, secretKeyRef, envFrom and Service variables, workingDir; kubectl
// exec (stdin, terminal, exit codes) with each kubectl protocol; nodeName; bad commands; a
// registered image's workdir and env; a Guaranteed pod's cgroup files.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, kubectlVersionsDir, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { fixturePod, podReader, type PodReader } from './pods.js';
import { tempDir } from './processes.js';

let kp: Kubeproc;
const isCgroupV1Root =
  process.getuid?.() === 0 &&
  existsSync('/sys/fs/cgroup/cpu/cpu.shares') &&
  existsSync('/sys/fs/cgroup/memory');
let pods: PodReader;
const work = tempDir('kubeproc-containers-');

beforeAll(async () => {
  kp = await startKubeproc();
  pods = podReader(kp);
});

afterAll(async () => {
  await kp?.stop();
  rmSync(work, { recursive: true, force: true });
});

function apply(manifest: string): void {
  kp.kubectlOk(['apply', '-f', '-'], manifest);
}

interface Started {
  cwd: string;
  argv: string[];
  env: Record<string, string>;
}

describe('the container process', () => {
  let started: Started;

  beforeAll(async () => {
    kp.kubectlOk(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    kp.kubectlOk(['create', 'configmap', 'settings', '--from-literal=MODE=fast']);
    kp.kubectlOk(['create', 'service', 'clusterip', 'backend', '--tcp=80:8080']);
    const script =
      'console.log(JSON.stringify({cwd: process.cwd(), argv: process.argv.slice(1), env: process.env}))';
    apply(
      fixturePod('starter', {
        command: ['node', '-e', script],
        extra: {
          args: ['$(GREETING)', '$HOME', '*', 'a b', '$$(GREETING)', '$(UNDEFINED)'],
          workingDir: work,
          env: [
            { name: 'GREETING', value: 'hello' },
            { name: 'COMPOSED', value: 'x-$(GREETING)-y' },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            {
              name: 'CPU_LIMIT',
              valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } },
            },
            {
              name: 'MEM_REQUEST',
              valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } },
            },
          ],
          envFrom: [
            { configMapRef: { name: 'settings' } },
            { prefix: 'S_', secretRef: { name: 'creds' } },
          ],
          resources: {
            requests: { cpu: '100m', memory: '32Mi' },
            limits: { cpu: '250m', memory: '64Mi' },
          },
        },
        spec: { restartPolicy: 'Never' },
      }),
    );
    await pods.waitFor(
      'Succeeded',
      'starter',
      () => pods.get('starter', '.status.phase') === 'Succeeded',
    );
    started = JSON.parse(kp.kubectlOk(['logs', 'starter'])) as Started;
  });

  it('passes command and args as argv, expanding only $(VAR) and never through a shell', () => {
    expect(started.argv).toEqual(['hello', '$HOME', '*', 'a b', '$(GREETING)', '$(UNDEFINED)']);
  });

  it('starts in workingDir', () => {
    expect(started.cwd).toBe(work);
  });

  it('sets env from values, secrets, fields, resources and envFrom', () => {
    const nodeName = kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect(started.env).toMatchObject({
      GREETING: 'hello',
      COMPOSED: 'x-hello-y',
      PASSWORD: 's3cret',
      NODE: nodeName,
      IP: '127.0.0.1',
      CPU_LIMIT: '250',
      MEM_REQUEST: '32',
      MODE: 'fast',
      S_password: 's3cret',
    });
  });

  it('sets the docker-link variables of Services that existed before the pod', () => {
    const ip = kp.kubectlOk(['get', 'service', 'backend', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(started.env).toMatchObject({
      BACKEND_SERVICE_HOST: ip,
      BACKEND_SERVICE_PORT: '80',
      BACKEND_SERVICE_PORT_80_8080: '80',
      BACKEND_PORT: `tcp://${ip}:80`,
      BACKEND_PORT_80_TCP: `tcp://${ip}:80`,
      BACKEND_PORT_80_TCP_PROTO: 'tcp',
      BACKEND_PORT_80_TCP_PORT: '80',
      BACKEND_PORT_80_TCP_ADDR: ip,
    });
  });
});

describe('kubectl exec in a running container', () => {
  beforeAll(async () => {
    apply(
      fixturePod('shell', {
        extra: { workingDir: work, env: [{ name: 'GREETING', value: 'hi' }] },
      }),
    );
    await pods.waitFor('Ready', 'shell', () => pods.isReady('shell'));
  });

  it.each(['kubectl.1.27', 'kubectl.1.32', 'kubectl.1.33'])(
    '%s: passes stdin, the container env and working dir, and the exit code',
    (binary) => {
      const piped = kp.kubectl(
        ['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; pwd; echo $GREETING'],
        {
          binary,
          input: 'from stdin\n',
        },
      );
      expect(piped.stdout).toBe(`from stdin\n${work}\nhi\n`);
      expect(piped.code).toBe(0);
      const failed = kp.kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo oops >&2; exit 3'], {
        binary,
      });
      expect(failed.code).toBe(3);
      expect(failed.stderr).toBe('oops\ncommand terminated with exit code 3\n');
    },
  );

  it('runs -it on a terminal', () => {
    const kubectl = join(kubectlVersionsDir(), 'kubectl.1.32');
    const command = `${kubectl} --cache-dir=${join(kp.dir, 'cache')} exec -it shell -- sh -c '[ -t 0 ] && echo on-a-terminal; exit 4'`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      input: '',
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
      timeout: 60_000,
    });
    expect(r.stdout).toContain('on-a-terminal\r\n');
    expect(r.status).toBe(4);
  });

  it('says when the command does not exist in the container', () => {
    const r = kp.kubectl(['exec', 'shell', '--', 'no-such-command']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no-such-command/);
  });
});

describe('scheduling by nodeName', () => {
  it('runs a pod whose nodeName is set, without the scheduler', async () => {
    const nodeName = kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    apply(fixturePod('pinned', { spec: { nodeName } }));
    await pods.waitFor('Ready', 'pinned', () => pods.isReady('pinned'));
    expect(pods.events('pinned').filter((e) => e.startsWith('Scheduled:'))).toEqual([]);
    kp.kubectlOk(['delete', 'pod', 'pinned', '--grace-period=1', '--wait=false']);
  });
});

describe('bad commands', () => {
  it('leaves a command that is not executable waiting with RunContainerError, nothing else disturbed', async () => {
    const script = join(work, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho never\n');
    chmodSync(script, 0o644);
    apply(fixturePod('no-exec', { command: [script] }));
    await pods.waitFor(
      'RunContainerError',
      'no-exec',
      () =>
        pods.get('no-exec', '.status.containerStatuses[0].state.waiting.reason') ===
        'RunContainerError',
    );
    expect(pods.get('no-exec', '.status.containerStatuses[0].state.waiting.message')).toContain(
      `exec: "${script}": permission denied`,
    );
    expect(pods.row('no-exec')).toMatch(/^no-exec 0\/1 RunContainerError 0 /);
    // The pod beside it still runs and answers.
    expect(pods.isReady('shell')).toBe(true);
    kp.kubectlOk(['delete', 'pod', 'no-exec', '--grace-period=0', '--force']);
  });
});

describe('images and cgroups', () => {
  function kubeproc(...args: string[]): void {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(`kubeproc ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    }
  }

  it('runs an image with its workdir and env; a command replaces entrypoint and cmd', async () => {
    const print =
      'console.log(JSON.stringify({cwd: process.cwd(), argv: process.argv.slice(1), v: process.env.IMG_VAR}))';
    const add = [
      'image',
      'add',
      'printer:1',
      '--kubeconfig',
      kp.kubeconfig,
      '--entrypoint',
      'node',
    ];
    kubeproc(
      ...add,
      '--workdir',
      work,
      '--env',
      'IMG_VAR=from-image',
      '--',
      '-e',
      print,
      'cmd-arg',
    );
    const base = { image: 'printer:1', command: undefined };
    apply(fixturePod('from-image', { extra: base, spec: { restartPolicy: 'Never' } }));
    apply(
      fixturePod('own-command', {
        extra: { ...base, command: ['node', '-e', print, 'own'] },
        spec: { restartPolicy: 'Never' },
      }),
    );
    for (const name of ['from-image', 'own-command']) {
      await pods.waitFor(
        `${name} Succeeded`,
        name,
        () => pods.get(name, '.status.phase') === 'Succeeded',
      );
    }
    expect(JSON.parse(kp.kubectlOk(['logs', 'from-image']))).toEqual({
      cwd: work,
      argv: ['cmd-arg'],
      v: 'from-image',
    });
    // Docker's rule: command replaces the entrypoint, and the image's cmd goes with it.
    expect(JSON.parse(kp.kubectlOk(['logs', 'own-command']))).toMatchObject({ argv: ['own'] });
    kubeproc('image', 'rm', 'printer:1', '--kubeconfig', kp.kubeconfig);
  });

  it.runIf(isCgroupV1Root)(
    'puts a Guaranteed pod under kubepods with its shares, quota and memory limit',
    async () => {
      const resources = { cpu: '200m', memory: '64Mi' };
      apply(
        fixturePod('guaranteed', {
          extra: { resources: { requests: resources, limits: resources } },
        }),
      );
      await pods.waitFor('Ready', 'guaranteed', () => pods.isReady('guaranteed'));
      expect(pods.get('guaranteed', '.status.qosClass')).toBe('Guaranteed');
      const uid = pods.get('guaranteed', '.metadata.uid');
      const cgroups = readFileSync(`/proc/${pods.appPid('guaranteed')}/cgroup`, 'utf8');
      const pathOf = (controller: string): string =>
        cgroups
          .split('\n')
          .find((l) => l.split(':')[1]?.split(',').includes(controller))
          ?.split(':')[2] ?? '';
      expect(pathOf('cpu')).toBe(`/kubepods/pod${uid}/app`);
      const file = (controller: string, name: string): string =>
        readFileSync(join('/sys/fs/cgroup', controller, pathOf(controller), name), 'utf8').trim();
      expect(file('cpu', 'cpu.shares')).toBe('204');
      expect(file('cpu', 'cpu.cfs_quota_us')).toBe('20000');
      expect(file('memory', 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
      kp.kubectlOk(['delete', 'pod', 'guaranteed', '--grace-period=1', '--wait=false']);
    },
  );
});
