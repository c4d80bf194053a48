// 100 pods created and deleted in batches in isolated mode, each with a configMap volume and an
// emptyDir: afterwards the node holds nothing of them (netns, veths, UTS files, routes, mounts,
// cgroups, pod directories) and the IP pool is whole again (the next pod gets the first address).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceNames, podNames } from '../../src/node/network/naming.js';
import { detectCgroups } from '../../src/node/runtime/cgroups.js';
import { eventually, isolatedNetwork, startKubeproc, type Kubeproc } from './harness.js';

const NETWORK = isolatedNetwork();
const BATCHES = 5;
const BATCH_SIZE = 20;

let kp: Kubeproc;
let names: ReturnType<typeof instanceNames>;
let dataDir: string;

interface NodeSnapshot {
  netns: string[];
  links: string[];
  routes: string[];
  utsFiles: string[];
  mounts: string[];
  podDirs: string[];
}

function json<T>(args: string[]): T {
  return JSON.parse(spawnSync('ip', ['-j', ...args], { encoding: 'utf8' }).stdout) as T;
}

function snapshot(): NodeSnapshot {
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter(
      (p) =>
        p.startsWith(dataDir) ||
        p.startsWith(names.runDir) ||
        p.startsWith(`/run/netns/${names.netnsPrefix}`),
    );
  return {
    netns: netns.filter((n) => n.startsWith(names.netnsPrefix)).sort(),
    // Other instances' veths come and go meanwhile: only ours (on our bridge) count.
    links: json<{ ifname: string; master?: string }[]>(['link'])
      .filter((l) => l.master === names.bridge || l.ifname.includes(names.id))
      .map((l) => l.ifname)
      .sort(),
    routes: json<{ dst: string; dev?: string }[]>(['route'])
      .filter((r) => r.dev?.includes(names.id) || r.dst.startsWith(NETWORK.sharedPrefix))
      .map((r) => `${r.dst} ${r.dev ?? ''}`)
      .sort(),
    utsFiles: existsSync(names.runDir) ? readdirSync(names.runDir).sort() : [],
    mounts,
    podDirs: existsSync(join(dataDir, 'pods')) ? readdirSync(join(dataDir, 'pods')) : [],
  };
}

function podManifest(batch: number, i: number): string {
  return `---
apiVersion: v1
kind: Pod
metadata: { name: churn-${batch}-${i}, labels: { batch: "b${batch}" } }
spec:
  terminationGracePeriodSeconds: 5
  volumes:
  - { name: cfg, configMap: { name: churn } }
  - { name: scratch, emptyDir: {} }
  containers:
  - name: app
    image: x
    command: [sleep, "3600"]
    volumeMounts:
    - { name: cfg, mountPath: /etc/churn }
    - { name: scratch, mountPath: /tmp/scratch }
`;
}

interface PodItem {
  metadata: { name: string; uid: string };
  status: { phase?: string; podIP?: string };
}

function batchPods(batch: number): PodItem[] {
  const out = kp.kubectlOk(['get', 'pods', '-l', `batch=b${batch}`, '-o', 'json']);
  return (JSON.parse(out) as { items: PodItem[] }).items;
}

beforeAll(async () => {
  kp = await startKubeproc(NETWORK.args);
  dataDir = join(kp.dir, 'data');
  names = instanceNames(dataDir);
  kp.kubectlOk(['create', 'configmap', 'churn', '--from-literal=key=value']);
}, 30_000);

afterAll(async () => {
  await kp?.stop();
});

describe('pod churn in isolated mode', () => {
  it(`creates and deletes ${BATCHES * BATCH_SIZE} pods and leaks nothing`, async () => {
    const before = snapshot();
    const uids = new Set<string>();
    for (let batch = 0; batch < BATCHES; batch++) {
      const manifest = Array.from({ length: BATCH_SIZE }, (_, i) => podManifest(batch, i)).join('');
      kp.kubectlOk(['apply', '-f', '-'], manifest);
      await eventually(
        `batch ${batch}: ${BATCH_SIZE} pods Running with IPs`,
        () => {
          const items = batchPods(batch);
          return (
            items.length === BATCH_SIZE &&
            items.every((p) => p.status.phase === 'Running' && p.status.podIP)
          );
        },
        90_000,
      );
      const items = batchPods(batch);
      items.forEach((p) => uids.add(p.metadata.uid));
      const [first] = items;
      expect(
        kp.kubectlOk(['exec', first?.metadata.name ?? '', '--', 'cat', '/etc/churn/key']),
      ).toBe('value');
      kp.kubectlOk(['delete', 'pods', '-l', `batch=b${batch}`, '--wait=true', '--timeout=90s']);
    }
    expect(uids.size).toBe(BATCHES * BATCH_SIZE);
    await eventually('every pod directory removed', () => snapshot().podDirs.length === 0);
    expect(snapshot()).toEqual(before);
    const links = new Set(json<{ ifname: string }[]>(['link']).map((l) => l.ifname));
    const leakedNames = [...uids].flatMap((uid) => {
      const own = podNames(names, uid);
      return [
        ...[own.netnsFile, own.utsFile].filter((f) => existsSync(f)),
        ...(links.has(own.hostVeth) ? [own.hostVeth] : []),
      ];
    });
    expect(leakedNames).toEqual([]);
    const cgroups = await detectCgroups();
    if (cgroups.available) {
      const bases =
        cgroups.version === 1 ? [...new Set(Object.values(cgroups.mounts))] : [cgroups.unifiedRoot];
      const leaked = bases.flatMap((base) =>
        ['kubepods', 'kubepods/burstable', 'kubepods/besteffort']
          .map((rel) => join(base, rel))
          .filter((d) => existsSync(d))
          .flatMap((d) => readdirSync(d).filter((e) => uids.has(e.replace(/^pod/, '')))),
      );
      expect(leaked).toEqual([]);
    }
    // The lowest-free allocator hands out the first address again only if every IP came back.
    kp.kubectlOk(['run', 'after', '--image=x', '--command', '--', 'sleep', '3600']);
    await eventually(
      'the pod after the churn Running',
      () => kp.kubectlOk(['get', 'pod', 'after', '-o', 'jsonpath={.status.phase}']) === 'Running',
    );
    expect(kp.kubectlOk(['get', 'pod', 'after', '-o', 'jsonpath={.status.podIP}'])).toBe(
      `${NETWORK.prefix(0)}2`,
    );
  }, 900_000);
});
