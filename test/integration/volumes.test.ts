// Volumes and mounts with the real kubectl: a ConfigMap at /etc/script (host /etc untouched),
// updated in place; a missing ConfigMap waits with FailedMount; an emptyDir shared by two
// containers; seed 003's memory demo in a privileged pod; the container's own cgroup view.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_OPTIONS } from '../../src/cli/up.js';
import { detectSandbox } from '../../src/node/sandbox/detect.js';
import { eventually, startKubeproc, type Kubeproc } from './harness.js';

const sandbox = await detectSandbox();
// The network branch adds --network; host mode keeps this file about volumes only.
const EXTRA = 'network' in UP_OPTIONS ? ['--network', 'host'] : [];
let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc(EXTRA);
}, 30_000);

afterAll(async () => {
  const dir = kp?.dir;
  await kp?.stop();
  if (dir) {
    const leftover = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(dir));
    expect(leftover).toEqual([]);
  }
}, 60_000);

function podPhase(name: string): string {
  return kp.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}']).stdout;
}

async function waitRunning(name: string): Promise<void> {
  await eventually(`pod ${name} Running`, () => podPhase(name) === 'Running', 30_000);
}

function exec(pod: string, args: string[], container?: string): string {
  const c = container ? ['-c', container] : [];
  return kp.kubectlOk(['exec', pod, ...c, '--', ...args]);
}

const SCRIPT_POD = (name: string, cm: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  terminationGracePeriodSeconds: 2
  volumes:
  - name: script
    configMap: { name: ${cm} }
  containers:
  - name: app
    image: x
    command: [sleep, "3600"]
    volumeMounts:
    - { name: script, mountPath: /etc/script }
`;

describe.runIf(sandbox.pidNamespaces)('volumes in the pod mount namespace', () => {
  it('mounts a ConfigMap at /etc/script without touching the host, and updates it', async () => {
    kp.kubectlOk(['create', 'configmap', 'cm1', '--from-literal=x=one']);
    kp.kubectlOk(['apply', '-f', '-'], SCRIPT_POD('cm-pod', 'cm1'));
    await waitRunning('cm-pod');
    expect(exec('cm-pod', ['cat', '/etc/script/x'])).toBe('one');
    expect(existsSync('/etc/script')).toBe(false);
    const yaml = kp.kubectlOk([
      'create',
      'configmap',
      'cm1',
      '--from-literal=x=two',
      '--dry-run=client',
      '-o',
      'yaml',
    ]);
    kp.kubectlOk(['apply', '-f', '-'], yaml);
    await eventually(
      'the mounted file to show the new value',
      () => exec('cm-pod', ['cat', '/etc/script/x']) === 'two',
      10_000,
    );
  }, 60_000);

  it('keeps a pod with a missing ConfigMap waiting with FailedMount, then starts it', async () => {
    kp.kubectlOk(['apply', '-f', '-'], SCRIPT_POD('wait-pod', 'late'));
    await eventually(
      'a FailedMount event',
      () =>
        kp
          .kubectl(['get', 'events', '--field-selector', 'involvedObject.name=wait-pod'])
          .stdout.includes(
            'MountVolume.SetUp failed for volume "script" : configmap "late" not found',
          ),
      20_000,
    );
    expect(podPhase('wait-pod')).toBe('Pending');
    const reason = kp.kubectlOk([
      'get',
      'pod',
      'wait-pod',
      '-o',
      'jsonpath={.status.containerStatuses[0].state.waiting.reason}',
    ]);
    expect(reason).toBe('ContainerCreating');
    kp.kubectlOk(['create', 'configmap', 'late', '--from-literal=x=here']);
    await waitRunning('wait-pod');
    expect(exec('wait-pod', ['cat', '/etc/script/x'])).toBe('here');
  }, 60_000);

  it('shares an emptyDir between two containers', async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: { name: shared }
spec:
  terminationGracePeriodSeconds: 2
  volumes:
  - { name: cache, emptyDir: {} }
  containers:
  - name: writer
    image: x
    command: [sh, -c, "echo from-writer > /mnt/cache/f && sleep 3600"]
    volumeMounts: [{ name: cache, mountPath: /mnt/cache }]
  - name: reader
    image: x
    command: [sleep, "3600"]
    volumeMounts: [{ name: cache, mountPath: /opt/data-cache }]
`,
    );
    await waitRunning('shared');
    await eventually(
      'the reader to see the writer file',
      () =>
        kp.kubectl(['exec', 'shared', '-c', 'reader', '--', 'cat', '/opt/data-cache/f']).stdout ===
        'from-writer\n',
      10_000,
    );
  }, 60_000);

  it("runs seed 003's memory demo in a privileged pod", async () => {
    kp.kubectlOk(['create', 'namespace', 'luffy']);
    kp.kubectlOk(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: ConfigMap
metadata:
  name: increase-mem-config
  namespace: luffy
data:
  increase-mem.sh: |
    #!/bin/bash
    mkdir /tmp/memory
    mount -t tmpfs -o size=40M tmpfs /tmp/memory
    dd if=/dev/zero of=/tmp/memory/block
    sleep 60
    rm /tmp/memory/block
    umount /tmp/memory
    rmdir /tmp/memory
---
apiVersion: v1
kind: Pod
metadata: { name: mem, namespace: luffy }
spec:
  terminationGracePeriodSeconds: 2
  volumes:
  - name: increase-mem-script
    configMap: { name: increase-mem-config }
  containers:
  - name: nginx
    image: x
    command: [sleep, "3600"]
    volumeMounts:
    - { name: increase-mem-script, mountPath: /etc/script }
    resources: { requests: { memory: 50Mi, cpu: 50m } }
    securityContext: { privileged: true }
`,
    );
    await eventually(
      'pod mem Running',
      () =>
        kp.kubectl(['-n', 'luffy', 'get', 'pod', 'mem', '-o', 'jsonpath={.status.phase}'])
          .stdout === 'Running',
    );
    // As the seed does (kubectl exec ... sh /etc/script/increase-mem.sh); watched while it sleeps.
    const demo = spawn(
      'kubectl',
      ['-n', 'luffy', 'exec', 'mem', '--', 'sh', '/etc/script/increase-mem.sh'],
      { env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig }, stdio: 'pipe' },
    );
    let stderr = '';
    demo.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ended = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    const inPod = () =>
      kp.kubectl([
        '-n',
        'luffy',
        'exec',
        'mem',
        '--',
        'sh',
        '-c',
        'du -k /tmp/memory/block; grep -c " /tmp/memory " /proc/self/mountinfo',
      ]).stdout;
    await eventually(
      'the 40M tmpfs to be full inside the pod',
      () => inPod() === '40960\t/tmp/memory/block\n1\n',
      20_000,
    );
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(' /tmp/memory ');
    const usage = kp.kubectlOk([
      '-n',
      'luffy',
      'exec',
      'mem',
      '--',
      'cat',
      '/sys/fs/cgroup/memory/memory.usage_in_bytes',
    ]);
    expect(Number(usage)).toBeGreaterThan(40 * 1024 * 1024);
    expect(await ended).toBe(0);
    expect(stderr).toContain('No space left on device');
    expect(existsSync('/tmp/memory')).toBe(false);
  }, 120_000);

  it("shows the container's own CPU quota at /sys/fs/cgroup", async () => {
    kp.kubectlOk(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: { name: quota }
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: x
    command: [sleep, "3600"]
    resources: { limits: { cpu: 250m, memory: 64Mi } }
`,
    );
    await waitRunning('quota');
    const v1 = existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
    const out = v1
      ? exec('quota', ['cat', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us'])
      : exec('quota', ['cat', '/sys/fs/cgroup/cpu.max']);
    expect(out.trim()).toBe(v1 ? '25000' : '25000 100000');
  }, 60_000);

  it('mounts volumes at missing top-level paths (/cache) and removes the made directories', async () => {
    // The Kubernetes docs' emptyDir example mounts at /cache; a random name shows the removal
    // even on a node that has a /cache of its own (which kubeproc would then leave alone).
    const extra = `/kp-data-${Math.random().toString(16).slice(2, 10)}`;
    const hadCache = existsSync('/cache');
    kp.kubectlOk(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: { name: test-pd }
spec:
  terminationGracePeriodSeconds: 2
  volumes: [{ name: cache-volume, emptyDir: { sizeLimit: 500Mi } }]
  containers:
  - name: test-container
    image: x
    command: [sleep, "3600"]
    volumeMounts:
    - { name: cache-volume, mountPath: /cache }
    - { name: cache-volume, mountPath: ${extra}/nested, subPath: sub }
`,
    );
    await waitRunning('test-pd');
    expect(exec('test-pd', ['sh', '-c', 'echo kept > /cache/f && cat /cache/f'])).toBe('kept\n');
    expect(exec('test-pd', ['ls', `${extra}/nested`])).toBe('');
    // On the node: an empty 0755 directory, the writes are in the volume.
    expect(readdirSync(extra)).toEqual([]);
    expect(statSync(extra).mode & 0o7777).toBe(0o755);
    expect(existsSync('/cache/f')).toBe(false);
    kp.kubectlOk(['delete', 'pod', 'test-pd', '--wait=true']);
    await eventually('the made top-level directories removed', () => {
      return !existsSync(extra) && existsSync('/cache') === hadCache;
    });
  }, 60_000);

  it('leaves no processes or mounts once the pods are deleted', async () => {
    kp.kubectlOk(['delete', 'pod', '--all', '--wait=true']);
    kp.kubectlOk(['-n', 'luffy', 'delete', 'pod', '--all', '--wait=true']);
    const mine = () =>
      readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .filter((l) => l.includes(kp.dir));
    await eventually('no mounts under the data dir', () => mine().length === 0, 10_000);
  }, 60_000);
});
