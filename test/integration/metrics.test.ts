// The metrics server with real processes and the real kubectl: `kubectl top pods|nodes` (with
// --containers, -A, -l, and kubectl 1.27 / 1.33), `kubectl get podmetrics`, the raw
// metrics.k8s.io API, discovery, and `kubectl get apiservice`.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

interface ContainerDef {
  name: string;
  args?: string[];
  listens?: boolean;
}

function pod(name: string, namespace: string, containers: ContainerDef[]): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name, tier: 'metrics-test' } },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: containers.map((c) => ({
        name: c.name,
        image: 'fixture',
        command: ['node', APP, ...(c.listens === false ? ['--no-listen'] : []), ...(c.args ?? [])],
        ...(c.listens === false ? {} : { ports: [{ containerPort: 8080 }] }),
      })),
    },
  });
}

/** `kubectl top` rows by their first columns: name (or `pod/container`) -> [milli CPU, MiB]. */
function usageRows(out: string, keyColumns = 1): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const line of out.trim().split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const cpu = cols[keyColumns] ?? '';
    const memory = cols[keyColumns + 1] ?? '';
    rows.set(cols.slice(0, keyColumns).join('/'), [parseInt(cpu, 10), parseInt(memory, 10)]);
  }
  return rows;
}

function topPods(args: string[] = [], binary?: string): { code: number; out: string } {
  const r = kp.kubectl(['top', 'pods', ...args], binary ? { binary } : {});
  return { code: r.code, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  kp = await startKubeproc(['--metric-resolution', '1s']);
  kp.kubectlOk(['create', 'namespace', 'other']);
  const manifests = [
    pod('burner', 'default', [{ name: 'app', args: ['--burn', '0.5'] }]),
    pod('idle', 'default', [{ name: 'app', args: ['--alloc', '64'] }]),
    pod('pair', 'default', [
      { name: 'main' },
      { name: 'side', listens: false, args: ['--burn', '0.05'] },
    ]),
    pod('elsewhere', 'other', [{ name: 'app' }]),
  ];
  for (const manifest of manifests) {
    kp.kubectlOk(['apply', '-f', '-'], manifest);
  }
  await eventually(
    'every pod in kubectl top',
    () => {
      const rows = usageRows(topPods(['-A']).out, 2);
      return ['default/burner', 'default/idle', 'default/pair', 'other/elsewhere'].every((k) =>
        rows.has(k),
      );
    },
    60_000,
  );
}, 90_000);

afterAll(async () => {
  await kp?.stop();
});

describe('kubectl top pods', () => {
  it('prints each pod’s CPU and memory, a burning pod clearly above an idle one', async () => {
    let rows = new Map<string, [number, number]>();
    await eventually(
      'burner near 500m and idle near 0',
      () => {
        const { code, out } = topPods();
        rows = usageRows(out);
        const [burner = 0] = rows.get('burner') ?? [];
        const [idle = Infinity] = rows.get('idle') ?? [];
        return code === 0 && burner >= 300 && idle < 100;
      },
      30_000,
    );
    const { out } = topPods();
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    expect(out).toMatch(/^burner\s+\d+m\s+\d+Mi\s*$/m);
    expect([...rows.keys()].sort()).toEqual(['burner', 'idle', 'pair']);
    // --alloc 64 touches 64 MiB, all in the working set.
    expect(rows.get('idle')?.[1]).toBeGreaterThanOrEqual(64);
  });

  it('prints one row per container with --containers', () => {
    const { code, out } = topPods(['--containers']);
    expect(code).toBe(0);
    expect(out).toMatch(/^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    const rows = usageRows(out, 2);
    expect([...rows.keys()].sort()).toEqual(['burner/app', 'idle/app', 'pair/main', 'pair/side']);
  });

  it('covers every namespace with -A and selects with -l', () => {
    const all = topPods(['-A']);
    expect(all.out).toMatch(/^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    expect(all.out).toMatch(/^other\s+elsewhere\s+\d+m\s+\d+Mi\s*$/m);
    const selected = topPods(['-l', 'app=pair']);
    expect([...usageRows(selected.out).keys()]).toEqual(['pair']);
  });

  it('answers a pod that does not exist as a real cluster does', () => {
    const { code, out } = topPods(['nosuch']);
    expect(code).toBe(1);
    expect(out).toBe('Error from server (NotFound): pods "nosuch" not found\n');
  });

  it.each(['kubectl.1.27', 'kubectl.1.33'])('works with %s', (binary) => {
    const { code, out } = topPods([], binary);
    expect(code).toBe(0);
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    expect([...usageRows(out).keys()].sort()).toEqual(['burner', 'idle', 'pair']);
  });
});

describe('kubectl top nodes', () => {
  it('prints the node with usage and percentages of allocatable', () => {
    const out = kp.kubectlOk(['top', 'nodes']);
    const node = kp.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\n/);
    expect(out).toMatch(new RegExp(`^${node}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*$`, 'm'));
  });
});

describe('the metrics.k8s.io API', () => {
  it('is in discovery with get and list', () => {
    const out = kp.kubectlOk(['api-resources', '--api-group=metrics.k8s.io', '-o', 'wide']);
    expect(out).toMatch(/^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\s+get,list/m);
    expect(out).toMatch(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics\s+get,list/m);
    expect(kp.kubectlOk(['api-resources'])).toMatch(
      /^apiservices\s+apiregistration\.k8s\.io\/v1\s+false\s+APIService$/m,
    );
  });

  it('serves PodMetrics and NodeMetrics as metrics-server writes them', () => {
    const raw = JSON.parse(
      kp.kubectlOk(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/pair']),
    ) as Record<string, unknown>;
    expect(raw).toMatchObject({
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'pair', namespace: 'default', labels: { app: 'pair' } },
      window: '1s',
    });
    expect(raw.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const containers = raw.containers as { name: string; usage: Record<string, string> }[];
    expect(containers.map((c) => c.name)).toEqual(['main', 'side']);
    for (const c of containers) {
      expect(c.usage.cpu).toMatch(/^\d+[num]?$/);
      expect(c.usage.memory).toMatch(/^\d+(Ki|Mi|Gi)?$/);
    }
    const nodes = JSON.parse(kp.kubectlOk(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']));
    expect(nodes).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1' });
    expect((nodes as { items: unknown[] }).items).toHaveLength(1);
  });

  it('prints kubectl get podmetrics with metrics-server’s columns', () => {
    const out = kp.kubectlOk(['get', 'podmetrics', '-l', 'app=burner']);
    expect(out).toMatch(/^NAME\s+CPU\s+MEMORY\s+WINDOW\s*\n/);
    expect(out).toMatch(/^burner\s+\d+[num]?\s+\d+(Ki|Mi)\s+1s\s*$/m);
    expect(kp.kubectlOk(['get', 'nodemetrics', '-o', 'name'])).toMatch(
      /^nodemetrics\.metrics\.k8s\.io\/\S+\n$/,
    );
  });

  it('refuses writes and watches', () => {
    const del = kp.kubectl(['delete', 'podmetrics', 'burner']);
    expect(del.stderr).toBe(
      'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n',
    );
    const watch = kp.kubectl(['get', 'podmetrics', '--watch-only', '--request-timeout=5s']);
    expect(watch.stderr).toMatch(
      /watch is not supported on resources of kind "pods\.metrics\.k8s\.io"/,
    );
  });
});

describe('kubectl get apiservice', () => {
  it('lists the Local built-ins and the metrics APIService, all Available', () => {
    const out = kp.kubectlOk(['get', 'apiservice']);
    expect(out).toMatch(/^NAME\s+SERVICE\s+AVAILABLE\s+AGE\s*\n/);
    expect(out).toMatch(/^v1\.\s+Local\s+True\s+\d+s\s*$/m);
    expect(out).toMatch(/^v1\.apps\s+Local\s+True\s+\d+s\s*$/m);
    expect(out).toMatch(/^v2\.autoscaling\s+Local\s+True\s+\d+s\s*$/m);
    expect(out).toMatch(
      /^v1beta1\.metrics\.k8s\.io\s+kube-system\/metrics-server\s+True\s+\d+s\s*$/m,
    );
    const metrics = JSON.parse(
      kp.kubectlOk(['get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'json']),
    ) as { spec: unknown; status: { conditions: unknown[] } };
    expect(metrics.spec).toEqual({
      service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    });
    expect(metrics.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Available',
        status: 'True',
        reason: 'Passed',
        message: 'all checks passed',
      }),
    ]);
  });
});

describe('without a node (--no-node)', () => {
  let bare: Kubeproc;

  beforeAll(async () => {
    bare = await startKubeproc(['--no-node']);
  });

  afterAll(async () => {
    await bare?.stop();
  });

  it('serves no metrics API, as a cluster without metrics-server', () => {
    const top = bare.kubectl(['top', 'pods']);
    expect([top.code, top.stderr]).toEqual([1, 'error: Metrics API not available\n']);
    expect(bare.kubectlOk(['api-versions'])).not.toMatch(/metrics\.k8s\.io/);
    const apiServices = bare.kubectlOk(['get', 'apiservice', '-o', 'name']);
    expect(apiServices).toContain('apiservice.apiregistration.k8s.io/v1.apps\n');
    expect(apiServices).not.toContain('metrics');
  });
});
