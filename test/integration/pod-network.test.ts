// Isolated pod networking with the real kubectl: each pod its own IP (reachable from the node),
// hostname = pod name, Services on ClusterIPs reachable from the node and from pods, a deleted
// pod's netns and veth gone, and nothing of the instance left once kubeproc has stopped.
import { existsSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceNames, podNames } from '../../src/node/network/naming.js';
import { eventually, isolatedNetwork, startKubeproc, type Kubeproc } from './harness.js';

const NETWORK = isolatedNetwork();
const SERVICE_CIDR = NETWORK.serviceCidr;

let kp: Kubeproc;
let names: ReturnType<typeof instanceNames>;

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function links(): string[] {
  const out = spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout;
  return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname);
}

function instanceNetns(): string[] {
  const all = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  return all.filter((n) => n.startsWith(names.netnsPrefix));
}

interface PodRow {
  name: string;
  uid: string;
  ip: string;
  ready: boolean;
}

function pods(): PodRow[] {
  const list = JSON.parse(kp.kubectlOk(['get', 'pods', '-l', 'app=hello', '-o', 'json'])) as {
    items: {
      metadata: { name: string; uid: string; deletionTimestamp?: string };
      status: {
        podIP?: string;
        podIPs?: { ip: string }[];
        conditions?: { type: string; status: string }[];
      };
    }[];
  };
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      ip: p.status.podIP ?? '',
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    }));
}

beforeAll(async () => {
  kp = await startKubeproc(NETWORK.args);
  names = instanceNames(join(kp.dir, 'data'));
}, 30_000);

afterAll(async () => {
  await kp?.stop();
});

describe('isolated pod network', () => {
  it('gives three replicas of one port three IPs, all Ready and answering from the node', async () => {
    kp.kubectlOk([
      'create',
      'deployment',
      'hello',
      '--image=x',
      '--replicas=3',
      '--',
      'python3',
      '-m',
      'http.server',
      '5000',
    ]);
    await eventually(
      '3 Ready pods with IPs',
      () => {
        const p = pods();
        return p.length === 3 && p.every((x) => x.ready && x.ip !== '');
      },
      30_000,
    );
    const ips = pods().map((p) => p.ip);
    expect(new Set(ips).size).toBe(3);
    const prefix = NETWORK.prefix(0);
    expect(ips.every((ip) => ip.startsWith(prefix) && ip !== `${prefix}1`)).toBe(true);
    const wide = kp.kubectlOk(['get', 'pods', '-o', 'wide']);
    for (const ip of ips) {
      expect(wide).toContain(ip);
      // Ready without a probe means running, not yet listening; and http.server looks up its
      // own name first, which waits for the node's resolver until pods get cluster DNS.
      await eventually(
        `${ip}:5000 answering from the node`,
        async () => {
          return (await httpStatus(`http://${ip}:5000/`)) === 200;
        },
        25_000,
      );
    }
  }, 60_000);

  it('runs exec in the pod: hostname is the pod name', () => {
    const [pod] = pods();
    expect(kp.kubectlOk(['exec', pod?.name ?? '', '--', 'hostname']).trim()).toBe(pod?.name);
  });

  it('serves the Service ClusterIP to the node and to pods', async () => {
    kp.kubectlOk(['expose', 'deployment', 'hello', '--port', '5000']);
    const ip = kp.kubectlOk(['get', 'svc', 'hello', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(ip.startsWith(NETWORK.prefix(1))).toBe(true);
    await eventually('ClusterIP answering from the node', async () => {
      return (await httpStatus(`http://${ip}:5000/`)) === 200;
    });
    const [pod] = pods();
    const script = `import urllib.request; print(urllib.request.urlopen('http://${ip}:5000/', timeout=5).status)`;
    expect(kp.kubectlOk(['exec', pod?.name ?? '', '--', 'python3', '-c', script]).trim()).toBe(
      '200',
    );
  }, 30_000);

  it('resolves Services by name from inside a pod through the cluster DNS', async () => {
    const [pod] = pods();
    const name = pod?.name ?? '';
    const ip = kp.kubectlOk(['get', 'svc', 'hello', '-o', 'jsonpath={.spec.clusterIP}']);
    const resolv = kp.kubectlOk(['exec', name, '--', 'cat', '/etc/resolv.conf']);
    expect(resolv).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(resolv).toContain(`nameserver ${NETWORK.prefix(1)}10`);
    expect(resolv).toContain('options ndots:5');
    const hosts = kp.kubectlOk(['exec', name, '--', 'cat', '/etc/hosts']);
    expect(hosts).toContain(`${pod?.ip}\t${name}`);
    await eventually('getent to resolve the Service', () => {
      const r = kp.kubectl([
        'exec',
        name,
        '--',
        'getent',
        'hosts',
        'hello.default.svc.cluster.local',
      ]);
      return r.code === 0 && r.stdout.startsWith(ip);
    });
    for (const url of ['http://hello:5000/', 'http://hello.default:5000/']) {
      const script = `import urllib.request; print(urllib.request.urlopen('${url}', timeout=5).status)`;
      expect(kp.kubectlOk(['exec', name, '--', 'python3', '-c', script]).trim()).toBe('200');
    }
    const missing = kp.kubectl([
      'exec',
      name,
      '--',
      'getent',
      'hosts',
      'nope.default.svc.cluster.local',
    ]);
    expect(missing.code).toBe(2);
  }, 40_000);

  it('port-forwards to a server bound to the pod’s own loopback, as the kubelet does', async () => {
    kp.kubectlOk([
      'run',
      'loopback',
      '--image=x',
      '--command',
      '--',
      'python3',
      '-m',
      'http.server',
      '6000',
      '--bind',
      '127.0.0.1',
    ]);
    await eventually(
      'the loopback pod Running',
      () =>
        kp.kubectl(['get', 'pod', 'loopback', '-o', 'jsonpath={.status.phase}']).stdout ===
        'Running',
      30_000,
    );
    const forward = spawn(
      'kubectl',
      [`--cache-dir=${join(kp.dir, 'cache')}`, 'port-forward', 'pod/loopback', ':6000'],
      { env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig } },
    );
    try {
      let said = '';
      forward.stdout.on('data', (c: Buffer) => (said += c.toString()));
      await eventually('port-forward to listen', () => /127\.0\.0\.1:(\d+)/.test(said));
      const local = /127\.0\.0\.1:(\d+)/.exec(said)?.[1] ?? '';
      // http.server may still be starting: poll until it answers through the tunnel.
      await eventually(
        'the loopback-only server through port-forward',
        async () => (await httpStatus(`http://127.0.0.1:${local}/`)) === 200,
        20_000,
      );
    } finally {
      forward.kill();
      kp.kubectlOk(['delete', 'pod', 'loopback', '--grace-period=1']);
    }
  }, 60_000);

  it('removes a deleted pod netns and veth', async () => {
    const [pod] = pods();
    const own = podNames(names, pod?.uid ?? '');
    expect(existsSync(own.netnsFile)).toBe(true);
    expect(links()).toContain(own.hostVeth);
    kp.kubectlOk(['delete', 'pod', pod?.name ?? '', '--wait=true']);
    await eventually('the pod netns, veth and UTS namespace file gone', () => {
      return (
        !existsSync(own.netnsFile) && !links().includes(own.hostVeth) && !existsSync(own.utsFile)
      );
    });
  }, 30_000);

  it('leaves no interface, netns or UTS file of the instance after stop', async () => {
    await kp.stop();
    expect(links().filter((l) => l.includes(names.id))).toEqual([]);
    expect(instanceNetns()).toEqual([]);
    expect(existsSync(names.runDir)).toBe(false);
  }, 30_000);
});

describe('isolated pod network faults', () => {
  it('refuses at startup a pod CIDR that overlaps a network of the node, naming both', async () => {
    const addrs = JSON.parse(spawnSync('ip', ['-j', 'addr'], { encoding: 'utf8' }).stdout) as {
      ifname: string;
      addr_info: { family: string; local: string; prefixlen: number }[];
    }[];
    const node = addrs
      .filter((l) => l.ifname !== 'lo')
      .flatMap((l) => l.addr_info.map((a) => ({ ...a, ifname: l.ifname })))
      .find((a) => a.family === 'inet' && !a.local.startsWith('127.'));
    expect(node, 'the node has an IPv4 address besides loopback').toBeDefined();
    const cidr = `${node?.local}/${node?.prefixlen}`;
    await expect(
      startKubeproc(['--network', 'isolated', '--pod-cidr', cidr, '--service-cidr', SERVICE_CIDR]),
    ).rejects.toThrow(new RegExp(`--pod-cidr .* overlaps the node's network .*${node?.ifname}`));
  });

  it('leaves a pod Pending with FailedCreatePodSandBox when the pod CIDR is exhausted', async () => {
    // A /30 holds one pod address (network, gateway and broadcast are never handed out).
    const small = await startKubeproc([
      '--network',
      'isolated',
      '--pod-cidr',
      `${NETWORK.prefix(2)}0/30`,
      '--service-cidr',
      `${NETWORK.prefix(3)}0/24`,
    ]);
    try {
      small.kubectlOk(['run', 'first', '--image=x', '--command', '--', 'sleep', '300']);
      await eventually('the first pod Running', () =>
        small.kubectlOk(['get', 'pod', 'first']).includes('Running'),
      );
      small.kubectlOk(['run', 'second', '--image=x', '--command', '--', 'sleep', '300']);
      await eventually('a FailedCreatePodSandBox event', () =>
        small
          .kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=second'])
          .includes('no IP addresses available in range set'),
      );
      const row = small.kubectlOk(['get', 'pod', 'second', '--no-headers']);
      expect(row).toMatch(/ContainerCreating/);
      const events = small.kubectlOk(['describe', 'pod', 'second']);
      expect(events).toMatch(/FailedCreatePodSandBox .*Failed to create pod sandbox/);
    } finally {
      await small.stop();
    }
  }, 60_000);
});
