// Workload controllers seen through kubectl: ReplicaSets create pods, the garbage collector
// removes dependents. These run with --no-node and play the kubelet by patching pod status;
// node.test.ts covers the same stories with real processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc(['--no-node']);
});

afterAll(async () => {
  await kp?.stop();
});

const ok = (args: string[], input?: string): string => kp.kubectlOk(args, input);

const podNames = (selector: string): string[] =>
  ok(['get', 'pods', '-l', selector, '-o', 'name']).split('\n').filter(Boolean);

const rs = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'frontend' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { tier: 'frontend' } },
    template: {
      metadata: { labels: { tier: 'frontend' } },
      spec: { containers: [{ name: 'php', image: 'php-redis' }] },
    },
  },
};

describe('ReplicaSet controller', () => {
  it('creates the pods a ReplicaSet asks for, owned by it', async () => {
    ok(['apply', '-f', '-'], JSON.stringify(rs));
    await eventually('3 frontend pods', () => podNames('tier=frontend').length === 3);
    const owners = ok([
      'get',
      'pods',
      '-l',
      'tier=frontend',
      '-o',
      'jsonpath={.items[*].metadata.ownerReferences[0].name}',
    ]);
    expect(owners.split(' ')).toEqual(['frontend', 'frontend', 'frontend']);
    expect(ok(['get', 'rs', 'frontend'])).toMatch(/^frontend\s+3\s+3\s+0\s+\d+s$/m);
    expect(ok(['get', 'events', '--field-selector', 'involvedObject.name=frontend'])).toMatch(
      /SuccessfulCreate\s+replicaset\/frontend\s+Created pod: frontend-\w{5}/,
    );
  });

  it('replaces a deleted pod and follows kubectl scale', async () => {
    const [first] = podNames('tier=frontend');
    ok(['delete', first ?? '', '--wait=false']);
    await eventually('a replacement pod', () => {
      const names = podNames('tier=frontend');
      return names.length === 3 && !names.includes(first ?? '');
    });
    ok(['scale', 'rs', 'frontend', '--replicas=1']);
    await eventually('1 frontend pod', () => podNames('tier=frontend').length === 1);
  });

  it('deletes the pods with the ReplicaSet (garbage collector)', async () => {
    ok(['delete', 'rs', 'frontend']);
    await eventually('no frontend pods', () => podNames('tier=frontend').length === 0);
  });

  it('orphans the pods with --cascade=orphan', async () => {
    ok(
      ['apply', '-f', '-'],
      JSON.stringify({ ...rs, metadata: { name: 'keep' }, spec: { ...rs.spec, replicas: 2 } }),
    );
    await eventually('2 pods', () => podNames('tier=frontend').length === 2);
    ok(['delete', 'rs', 'keep', '--cascade=orphan']);
    await eventually(
      'pods without owner',
      () =>
        ok([
          'get',
          'pods',
          '-l',
          'tier=frontend',
          '-o',
          'jsonpath={.items[*].metadata.ownerReferences}',
        ]).trim() === '',
    );
    expect(podNames('tier=frontend')).toHaveLength(2);
  });
});

describe('endpoints controllers', () => {
  it('publishes ready pods of a Service in Endpoints and EndpointSlices', async () => {
    ok(['create', 'service', 'clusterip', 'front', '--tcp=80:8080']);
    ok([
      'patch',
      'service',
      'front',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/selector","value":{"tier":"frontend"}}]',
    ]);
    const pods = podNames('tier=frontend');
    expect(pods.length).toBeGreaterThan(0);
    for (const [i, pod] of pods.entries()) {
      const status = {
        status: {
          podIP: `127.0.0.${10 + i}`,
          podIPs: [{ ip: `127.0.0.${10 + i}` }],
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      };
      ok(['patch', pod, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    }
    await eventually('endpoints for front', () =>
      /127\.0\.0\.10:8080/.test(ok(['get', 'endpoints', 'front'])),
    );
    expect(ok(['describe', 'svc', 'front'])).toMatch(
      /^Endpoints:\s+127\.0\.0\.1\d:8080,127\.0\.0\.1\d:8080$/m,
    );
    expect(
      ok([
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=front',
        '-o',
        'jsonpath={.items[0].endpoints[*].conditions.ready}',
      ]),
    ).toBe('true true');
  });
});

/** Plays the kubelet: marks every matching, not yet ready pod Running and Ready. */
const markReady = (selector: string): void => {
  for (const pod of podNames(selector)) {
    const got = kp.kubectl([
      'get',
      pod,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    if (got.code !== 0) {
      continue; // deleted by the rollout meanwhile
    }
    const ready = got.stdout;
    if (ready !== 'True') {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const status = {
        status: {
          phase: 'Running',
          podIP: '127.0.0.1',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        },
      };
      kp.kubectl([
        'patch',
        pod,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify(status),
      ]);
    }
  }
};

describe('Deployment controller', () => {
  it('rolls out, records history, rolls back, and cascades deletion', async () => {
    expect(ok(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=2'])).toBe(
      'deployment.apps/web created\n',
    );
    await eventually('2 web pods', () => podNames('app=web').length === 2);
    markReady('app=web');
    await eventually('web available', () =>
      /^web\s+2\/2\s+2\s+2\s/m.test(ok(['get', 'deploy', 'web'])),
    );
    expect(ok(['rollout', 'status', 'deployment/web', '--timeout=20s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await eventually('the new pods to be ready and the old ones gone', () => {
      markReady('app=web');
      const images = ok([
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[*].spec.containers[0].image}',
      ]);
      return images === 'nginx:1.27 nginx:1.27';
    });
    expect(ok(['rollout', 'status', 'deployment/web', '--timeout=20s'])).toContain(
      'successfully rolled out',
    );
    expect(ok(['rollout', 'history', 'deployment/web'])).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );
    expect(ok(['rollout', 'undo', 'deployment/web'])).toBe('deployment.apps/web rolled back\n');
    await eventually('the rollback to nginx:1.26', () => {
      markReady('app=web');
      const images = ok([
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[*].spec.containers[0].image}',
      ]);
      return images === 'nginx:1.26 nginx:1.26';
    });
    expect(ok(['rollout', 'history', 'deployment/web'])).toMatch(/\n2\s+<none>\n3\s+<none>/);
    ok(['wait', '--for=condition=Available', 'deployment/web', '--timeout=20s']);
    ok(['delete', 'deployment', 'web']);
    await eventually(
      'no web pods or replica sets',
      () =>
        podNames('app=web').length === 0 && ok(['get', 'rs', '-l', 'app=web', '-o', 'name']) === '',
    );
  });
});
