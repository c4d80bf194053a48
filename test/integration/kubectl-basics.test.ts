// The everyday kubectl commands against a real kubeproc, checking what kubectl prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc();
});

afterAll(async () => {
  await kp?.stop();
});

const ok = (args: string[], input?: string): string => kp.kubectlOk(args, input);

describe('cluster basics', () => {
  it('reports a 1.32 server to kubectl version', () => {
    const out = ok(['version', '-o', 'json']);
    const v = JSON.parse(out) as {
      serverVersion: { major: string; minor: string; gitVersion: string };
    };
    expect(v.serverVersion.minor).toBe('32');
    expect(v.serverVersion.gitVersion).toMatch(/^v1\.32\./);
  });

  it('publishes the API server as the kubernetes Service, in Endpoints and an EndpointSlice', () => {
    const port = new URL(kp.url).port;
    expect(
      ok(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].ports[0].port}']),
    ).toBe(port);
    const slice = JSON.parse(ok(['get', 'endpointslice', 'kubernetes', '-o', 'json'])) as {
      metadata: { labels: Record<string, string> };
      addressType: string;
      endpoints: { addresses: string[]; conditions: { ready: boolean } }[];
      ports: { name: string; port: number }[];
    };
    expect(slice.metadata.labels['kubernetes.io/service-name']).toBe('kubernetes');
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    expect(slice.ports).toEqual([{ name: 'https', port: Number(port), protocol: 'TCP' }]);
  });

  it('lists the system namespaces', () => {
    const out = ok(['get', 'namespaces']);
    expect(out).toMatch(/^NAME\s+STATUS\s+AGE/);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect(out).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+s`, 'm'));
    }
  });

  it('lists our groups and short names in api-resources', () => {
    const out = ok(['api-resources']);
    for (const [name, short, group] of [
      ['pods', 'po', 'v1'],
      ['deployments', 'deploy', 'apps/v1'],
      ['replicasets', 'rs', 'apps/v1'],
      ['services', 'svc', 'v1'],
      ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2'],
      ['ingresses', 'ing', 'networking.k8s.io/v1'],
      ['poddisruptionbudgets', 'pdb', 'policy/v1'],
      ['configmaps', 'cm', 'v1'],
      ['endpoints', 'ep', 'v1'],
      ['events', 'ev', 'v1'],
    ]) {
      expect(out).toMatch(
        new RegExp(`^${name}\\s+${short}\\s+${(group ?? '').replace('/', '\\/')}\\s`, 'm'),
      );
    }
    const versions = ok(['api-versions']);
    for (const gv of [
      'v1',
      'apps/v1',
      'autoscaling/v1',
      'autoscaling/v2',
      'networking.k8s.io/v1',
      'policy/v1',
      'discovery.k8s.io/v1',
      'events.k8s.io/v1',
      'coordination.k8s.io/v1',
    ]) {
      expect(versions.split('\n')).toContain(gv);
    }
  });

  it('gives every namespace a default service account', async () => {
    ok(['create', 'namespace', 'team-a']);
    const deadline = Date.now() + 10_000;
    let out = '';
    while (Date.now() < deadline) {
      out = kp.kubectl(['get', 'serviceaccounts', '-n', 'team-a']).stdout;
      if (/^default\s/m.test(out)) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toMatch(/^default\s+\d+\s+\d+s/m);
  });
});

describe('deployments with kubectl', () => {
  it('creates a deployment from a protobuf body (kubectl 1.32 create deployment)', () => {
    expect(ok(['create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2'])).toBe(
      'deployment.apps/hello created\n',
    );
    const out = ok(['get', 'deployment', 'hello']);
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    // UP-TO-DATE follows the deployment controller; no pod is ready without a node agent.
    expect(out).toMatch(/^hello\s+0\/2\s+\d+\s+0\s+\d+s$/m);
    const obj = JSON.parse(ok(['get', 'deployment', 'hello', '-o', 'json'])) as {
      spec: {
        replicas: number;
        strategy: { type: string; rollingUpdate: { maxSurge: string } };
        revisionHistoryLimit: number;
        template: { spec: { containers: { image: string; imagePullPolicy: string }[] } };
      };
      metadata: { generation: number; uid: string };
    };
    expect(obj.spec.replicas).toBe(2);
    expect(obj.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(obj.spec.revisionHistoryLimit).toBe(10);
    expect(obj.spec.template.spec.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    expect(obj.metadata.generation).toBe(1);
  });

  it('scales through the scale subresource and bumps generation', () => {
    expect(ok(['scale', 'deployment', 'hello', '--replicas=5'])).toBe(
      'deployment.apps/hello scaled\n',
    );
    expect(
      ok(['get', 'deployment', 'hello', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']),
    ).toBe('5 2');
    const wrong = kp.kubectl([
      'scale',
      'deployment',
      'hello',
      '--current-replicas=3',
      '--replicas=1',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Expected replicas to be 3, was 5');
  });

  it('says NotFound the way Kubernetes does', () => {
    const r = kp.kubectl(['get', 'deployment', 'nosuch']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Error from server (NotFound): deployments.apps "nosuch" not found',
    );
  });

  it('says AlreadyExists on a second create', () => {
    const r = kp.kubectl(['create', 'deployment', 'hello', '--image=nginx']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error: failed to create deployment: deployments.apps "hello" already exists',
    );
    const fromFile = kp.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hello' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: {
            metadata: { labels: { a: 'b' } },
            spec: { containers: [{ name: 'c', image: 'i' }] },
          },
        },
      }),
    });
    expect(fromFile.stderr.trim()).toBe(
      'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "hello" already exists',
    );
  });

  it('labels, annotates and selects by label', () => {
    ok(['label', 'deployment', 'hello', 'tier=web']);
    ok(['annotate', 'deployment', 'hello', 'owner=team-a']);
    expect(ok(['get', 'deployments', '-l', 'tier=web', '-o', 'name'])).toBe(
      'deployment.apps/hello\n',
    );
    expect(ok(['get', 'deployments', '-l', 'tier in (db,cache)', '-o', 'name'])).toBe('');
    expect(ok(['get', 'deployment', 'hello', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe(
      'team-a',
    );
  });

  it('deletes a deployment', () => {
    expect(ok(['delete', 'deployment', 'hello'])).toBe('deployment.apps "hello" deleted\n');
    expect(kp.kubectl(['get', 'deployment', 'hello']).code).toBe(1);
  });
});
