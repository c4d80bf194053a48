// The oldest and newest kubectl we support (1.27: OpenAPI v2 protobuf, JSON writes; 1.33: protobuf
// writes, autoscaling/v2 autoscale), called directly so the dispatcher cannot pick another one.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { kubectlChild } from './processes.js';
import type { KubectlChild } from './processes.js';

let kp: Kubeproc;
const children: KubectlChild[] = [];

beforeAll(async () => {
  kp = await startKubeproc();
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await kp?.stop();
});

const web = join(FIXTURES, 'web.yaml');

describe.each([
  ['kubectl.1.27', 'v127'],
  ['kubectl.1.33', 'v133'],
])('%s', (binary, ns) => {
  const ok = (args: string[]): string => {
    const r = kp.kubectl(args, { binary });
    if (r.code !== 0) {
      throw new Error(`${binary} ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  };

  it('reports its own client version and lists namespaces', () => {
    const version = JSON.parse(ok(['version', '-o', 'json'])) as {
      clientVersion: { minor: string };
    };
    expect(version.clientVersion.minor).toBe(binary.split('.').at(-1));
    expect(ok(['create', 'namespace', ns])).toBe(`namespace/${ns} created\n`);
    const out = ok(['get', 'ns']);
    expect(out).toMatch(/^NAME\s+STATUS\s+AGE\n/);
    expect(out).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, 'm'));
  });

  it('applies the tutorial manifests with validation on', () => {
    const out = ok(['apply', '-n', ns, '-f', web]);
    expect(out).toBe(
      [
        'deployment.apps/web created',
        'service/web created',
        'ingress.networking.k8s.io/web created',
        'horizontalpodautoscaler.autoscaling/web created',
        'poddisruptionbudget.policy/web created',
        '',
      ].join('\n'),
    );
    expect(ok(['apply', '-n', ns, '-f', web])).toContain('deployment.apps/web unchanged');
  });

  it('gets deploy,svc,hpa with server-side columns', () => {
    const out = ok(['get', '-n', ns, 'deploy,svc,hpa']);
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(out).toMatch(/^deployment\.apps\/web\s+\d+\/2\s+\d+\s+\d+\s+\d+s$/m);
    expect(out).toMatch(/^service\/web\s+ClusterIP\s+[\d.]+\s+<none>\s+5000\/TCP\s+\d+s$/m);
    expect(out).toMatch(
      /^horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+10\s+\d+\s+\d+s$/m,
    );
  });

  it('creates a deployment, autoscales, scales and deletes it', () => {
    expect(
      ok(['create', 'deployment', 'hello', '-n', ns, '--image=nginx:1.27', '--replicas=2']),
    ).toBe('deployment.apps/hello created\n');
    expect(
      ok(['autoscale', 'deployment', 'hello', '-n', ns, '--cpu-percent=60', '--min=2', '--max=5']),
    ).toBe('horizontalpodautoscaler.autoscaling/hello autoscaled\n');
    const hpa = JSON.parse(
      ok(['get', 'hpa', 'hello', '-n', ns, '-o', 'json', '--show-managed-fields']),
    ) as {
      apiVersion: string;
      metadata: { managedFields: { manager: string; operation: string; apiVersion: string }[] };
      spec: {
        minReplicas: number;
        maxReplicas: number;
        scaleTargetRef: { kind: string; name: string };
        metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
      };
    };
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    // The version the client wrote in: 1.27 posts autoscaling/v1 (JSON), 1.33 autoscaling/v2 (protobuf).
    const posted = binary === 'kubectl.1.27' ? 'autoscaling/v1' : 'autoscaling/v2';
    expect(hpa.metadata.managedFields).toContainEqual(
      expect.objectContaining({
        manager: 'kubectl-autoscale',
        operation: 'Update',
        apiVersion: posted,
      }),
    );
    expect(hpa.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 5,
      scaleTargetRef: { kind: 'Deployment', name: 'hello' },
    });
    expect(hpa.spec.metrics[0]?.resource).toMatchObject({
      name: 'cpu',
      target: { averageUtilization: 60 },
    });
    expect(ok(['scale', 'deployment', 'hello', '-n', ns, '--replicas=3'])).toBe(
      'deployment.apps/hello scaled\n',
    );
    expect(ok(['get', 'deployment', 'hello', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe(
      '3',
    );
    expect(ok(['delete', 'hpa', 'hello', '-n', ns])).toBe(
      'horizontalpodautoscaler.autoscaling "hello" deleted\n',
    );
    expect(ok(['delete', 'deployment', 'hello', '-n', ns])).toBe(
      'deployment.apps "hello" deleted\n',
    );
    const gone = kp.kubectl(['get', 'deployment', 'hello', '-n', ns], { binary });
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(
      'Error from server (NotFound): deployments.apps "hello" not found',
    );
  });

  it('deletes the applied manifests', () => {
    const out = ok(['delete', '-n', ns, '-f', web]);
    for (const line of [
      'deployment.apps "web" deleted',
      'service "web" deleted',
      'ingress.networking.k8s.io "web" deleted',
      'horizontalpodautoscaler.autoscaling "web" deleted',
      'poddisruptionbudget.policy "web" deleted',
    ]) {
      expect(out).toContain(line);
    }
  });

  it('prints a row for every change while watching configmaps (get -w)', async () => {
    const watch = kubectlChild(kp, ['get', 'configmaps', '-n', ns, '-w'], binary);
    children.push(watch);
    ok(['create', 'configmap', 'w1', '-n', ns, '--from-literal=a=1']);
    await watch.waitForLine('the header', (l) => /^NAME\s+DATA\s+AGE$/.test(l));
    await watch.waitForLine('the added row', (l) => /^w1\s+1\s+\d+s$/.test(l));
    ok(['patch', 'configmap', 'w1', '-n', ns, '--type=merge', '-p', '{"data":{"b":"2"}}']);
    await watch.waitForLine('the modified row', (l) => /^w1\s+2\s+\d+s$/.test(l));
    ok(['create', 'configmap', 'w2', '-n', ns]);
    await watch.waitForLine('the second object', (l) => /^w2\s+0\s+\d+s$/.test(l));
    ok(['delete', 'configmap', 'w1', '-n', ns]);
    const rows = (): string[] => watch.lines().filter((l) => /^w1\s/.test(l));
    await watch.waitForLine('the deleted row', () => rows().length >= 3);
    expect(rows().map((l) => l.split(/\s+/)[1])).toEqual(['1', '2', '2']);
    expect(watch.exitCode()).toBeNull();
    await watch.kill();
    expect(watch.stderr()).toBe('');
  });
});
