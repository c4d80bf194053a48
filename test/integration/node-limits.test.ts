// Node-level limits with real kubectl and real processes: `--pod-max-pids` caps a pod's processes
// in its pod cgroup (the kubelet's --pod-max-pids), and a node without cgroup limits says so in
// its conditions (NoResourceLimits) as well as at startup.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const PIDS_ROOT = '/sys/fs/cgroup/pids/kubepods';
const isCgroupV1Root = process.getuid?.() === 0 && existsSync(PIDS_ROOT.replace('/kubepods', ''));

const started: Kubeproc[] = [];
afterAll(async () => {
  for (const kp of started) {
    await kp.stop();
  }
});

function condition(kp: Kubeproc, type: string): Record<string, string> | undefined {
  const nodes = JSON.parse(kp.kubectlOk(['get', 'nodes', '-o', 'json'])) as {
    items: { status?: { conditions?: Record<string, string>[] } }[];
  };
  return nodes.items[0]?.status?.conditions?.find((c) => c.type === type);
}

describe('a node without cgroup limits', () => {
  it('shows NoResourceLimits True with the reason, next to the kubelet conditions', async () => {
    const kp = await startKubeproc(['--no-cgroups']);
    started.push(kp);
    await eventually('the node to register', () => condition(kp, 'Ready') !== undefined);
    expect(condition(kp, 'NoResourceLimits')).toMatchObject({
      status: 'True',
      reason: 'CgroupsUnavailable',
      message:
        'pods run without cgroup limits (cpu, memory, pids are not enforced): disabled by configuration',
    });
    expect(condition(kp, 'Ready')?.status).toBe('True');
    const describe = kp.kubectlOk(['describe', 'nodes']);
    expect(describe).toMatch(/NoResourceLimits\s+True/);
  });
});

describe.skipIf(!isCgroupV1Root)('--pod-max-pids', () => {
  it('writes pids.max on the pod cgroup, and a pod cannot fork past it', async () => {
    const kp = await startKubeproc(['--pod-max-pids', '20']);
    started.push(kp);
    expect(condition(kp, 'NoResourceLimits')).toBeUndefined();
    kp.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'forker' },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'sh',
              image: 'sh',
              // 40 sleepers in a pod allowed 20 processes: the shell fails to fork the rest.
              command: ['/bin/sh', '-c', 'for i in $(seq 40); do sleep 300 & done; sleep 300'],
            },
          ],
        },
      }),
    );
    const uid = kp.kubectlOk(['get', 'pod', 'forker', '-o', 'jsonpath={.metadata.uid}']);
    const podDir = join(PIDS_ROOT, 'besteffort', `pod${uid}`);
    await eventually('the pod cgroup', () => existsSync(join(podDir, 'pids.max')));
    expect(readFileSync(join(podDir, 'pids.max'), 'utf8').trim()).toBe('20');
    // pids.events counts forks refused at the limit (v1 records them in the forking cgroup, the
    // container's); the shell says it cannot fork.
    const refusedForks = (): number =>
      ['pids.events', 'sh/pids.events']
        .map((f) => readFileSync(join(podDir, f), 'utf8'))
        .reduce((sum, text) => sum + Number(/max (\d+)/.exec(text)?.[1] ?? 0), 0);
    await eventually('a fork refused at the limit', () => refusedForks() > 0);
    await eventually('the shell to report it', () =>
      kp.kubectl(['logs', 'forker']).stdout.includes('Cannot fork'),
    );
    kp.kubectlOk(['delete', 'pod', 'forker', '--wait=true']);
    await eventually('the pod cgroup to go', () => !existsSync(podDir));
  });

  it('refuses a pids limit of 0 before starting', async () => {
    await expect(startKubeproc(['--pod-max-pids', '0'])).rejects.toThrow(
      'invalid --pod-max-pids "0": expected a positive number of processes, or -1 for no limit',
    );
  });
});
