// Workload controllers seen through kubectl: ReplicaSets create pods, the garbage collector
// removes dependents. (Pods stay Pending until a node agent runs them.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc();
});

afterAll(async () => {
  await kp?.stop();
});

const ok = (args: string[], input?: string): string => {
  const r = kp.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
};

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
