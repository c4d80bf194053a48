// A pod deleted while kubeproc was down (force-deleted through a kubeproc started with --no-node
// on the same data dir): the next kubeproc with its node ends the pod's processes and removes its
// netns, veth, UTS file, memory emptyDir mount, cgroup and directory, and frees its IP.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { reapPods } from '../../src/node/kubelet/reap.js';
import { instanceNames, podNames } from '../../src/node/network/naming.js';
import { isSameProcess, readContainerState } from '../../src/node/runtime/container-state.js';
import type { ContainerState } from '../../src/node/runtime/container-state.js';
import { detectCgroups } from '../../src/node/runtime/cgroups.js';
import { eventually, isolatedNetwork } from './harness.js';
import { kubectlIn, launchKubeproc, tempDir, type Launched } from './processes.js';

const NETWORK = isolatedNetwork();
const SERVICE_CIDR = NETWORK.serviceCidr;
const ISOLATED = NETWORK.args;

const dir = tempDir('kubeproc-orphans-');
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'kubeconfig');
let kp: Launched | undefined;

afterAll(async () => {
  await kp?.stop();
  await reapPods(dataDir);
  rmSync(dir, { recursive: true, force: true });
});

const kubectl = kubectlIn(dir, kubeconfig);

async function start(args: string[]): Promise<void> {
  kp = await launchKubeproc({ dataDir, kubeconfig, home: dir, args });
}

const POD = (name: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  volumes:
  - { name: cfg, configMap: { name: orphan } }
  - { name: mem, emptyDir: { medium: Memory, sizeLimit: 4Mi } }
  containers:
  - name: app
    image: x
    command: [sleep, "3600"]
    volumeMounts:
    - { name: cfg, mountPath: /etc/orphan }
    - { name: mem, mountPath: /tmp/mem }
`;

function hostMounts(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(dataDir));
}

async function podRunning(name: string): Promise<{ uid: string; ip: string }> {
  await eventually(
    `pod ${name} Running`,
    () => kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}']) === 'Running',
    30_000,
  );
  const [uid = '', ip = ''] = kubectl([
    'get',
    'pod',
    name,
    '-o',
    'jsonpath={.metadata.uid} {.status.podIP}',
  ]).split(' ');
  return { uid, ip };
}

describe('pods deleted while kubeproc was down', () => {
  it('are torn down by the next start: processes, network, mounts, cgroup, directory, IP', async () => {
    await start(ISOLATED);
    kubectl(['create', 'configmap', 'orphan', '--from-literal=a=b']);
    kubectl(['apply', '-f', '-'], POD('gone'));
    kubectl(['apply', '-f', '-'], POD('kept'));
    const gone = await podRunning('gone');
    const kept = await podRunning('kept');
    const names = instanceNames(dataDir);
    const own = podNames(names, gone.uid);
    const state: ContainerState = await readContainerState(
      join(dataDir, 'pods', gone.uid, 'app', '0.state.json'),
    );
    expect(existsSync(own.netnsFile)).toBe(true);
    expect(hostMounts().some((m) => m.includes(gone.uid))).toBe(true);

    // Down, then the pod is removed through an API-only kubeproc on the same data dir.
    await kp?.stop();
    expect(await isSameProcess(state)).toBe(true);
    await start(['--no-node', '--network', 'host', '--service-cidr', SERVICE_CIDR]);
    kubectl(['delete', 'pod', 'gone', '--grace-period=0', '--force']);
    await kp?.stop();
    expect(await isSameProcess(state)).toBe(true);
    expect(existsSync(own.netnsFile)).toBe(true);

    await start(ISOLATED);
    await eventually('the deleted pod processes ended', async () => !(await isSameProcess(state)));
    await eventually('the deleted pod directory removed', () => {
      return !existsSync(join(dataDir, 'pods', gone.uid));
    });
    expect(existsSync(own.netnsFile)).toBe(false);
    expect(existsSync(own.utsFile)).toBe(false);
    const links = spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout;
    expect(links).not.toContain(`"${own.hostVeth}"`);
    expect(hostMounts().filter((m) => m.includes(gone.uid))).toEqual([]);
    const cgroups = await detectCgroups();
    if (cgroups.available && state.cgroupPath) {
      const base =
        cgroups.version === 1 ? (Object.values(cgroups.mounts)[0] ?? '') : cgroups.unifiedRoot;
      expect(existsSync(join(base, state.cgroupPath, '..'))).toBe(false);
    }
    // The surviving pod was adopted with its IP; the freed IP is the next one handed out.
    expect(await podRunning('kept')).toEqual(kept);
    expect(existsSync(podNames(names, kept.uid).netnsFile)).toBe(true);
    kubectl(['apply', '-f', '-'], POD('next'));
    expect((await podRunning('next')).ip).toBe(gone.ip);
  }, 120_000);
});
