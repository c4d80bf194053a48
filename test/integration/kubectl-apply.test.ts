// kubectl apply / create -f / patch / edit / validation against a real kubeproc.
import { writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

let kp: Kubeproc;

beforeAll(async () => {
  kp = await startKubeproc();
});

afterAll(async () => {
  await kp?.stop();
});

const ok = (args: string[], input?: string): string => kp.kubectlOk(args, input);

const web = join(FIXTURES, 'web.yaml');

describe('kubectl apply', () => {
  it('creates, then leaves unchanged, then configures (validation on)', () => {
    expect(ok(['apply', '-f', web])).toBe(
      [
        'deployment.apps/web created',
        'service/web created',
        'ingress.networking.k8s.io/web created',
        'horizontalpodautoscaler.autoscaling/web created',
        'poddisruptionbudget.policy/web created',
        '',
      ].join('\n'),
    );
    expect(ok(['apply', '-f', web])).toContain('deployment.apps/web unchanged');
    const changed = readFileSync(web, 'utf8').replace('replicas: 2', 'replicas: 3');
    const file = join(kp.dir, 'web3.yaml');
    writeFileSync(file, changed);
    const out = ok(['apply', '-f', file]);
    expect(out).toContain('deployment.apps/web configured');
    expect(out).toContain('service/web unchanged');
    expect(ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('prints every kind with Kubernetes columns', () => {
    expect(ok(['get', 'svc', 'web'])).toMatch(
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+127\.96\.\d+\.\d+\s+<none>\s+5000\/TCP\s+\d+s\n$/,
    );
    expect(ok(['get', 'ingress', 'web'])).toMatch(
      // ADDRESS appears once the ingress controller has written the Ingress's status.
      /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nweb\s+nginx\s+\*\s+(127\.0\.0\.1\s+)?80\s+\d+s\n$/,
    );
    expect(ok(['get', 'hpa', 'web'])).toMatch(
      // REPLICAS is 0 until the HPA controller's first sync reads the target's scale.
      /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nweb\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+10\s+\d+\s+\d+s\n$/,
    );
    expect(ok(['get', 'pdb', 'web'])).toMatch(
      /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+1\s+N\/A\s+0\s+\d+s\n$/,
    );
  });

  it('serves the HPA through autoscaling/v1 too', () => {
    const v1 = JSON.parse(
      ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'json']),
    ) as { apiVersion: string; spec: { targetCPUUtilizationPercentage: number } };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
  });

  it('applies server-side and reports conflicts with other managers', () => {
    const file = join(kp.dir, 'ssa.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n',
    );
    expect(ok(['apply', '--server-side', '-f', file])).toBe('configmap/ssa serverside-applied\n');
    expect(ok(['apply', '--server-side', '-f', file])).toBe('configmap/ssa serverside-applied\n');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "2"\n',
    );
    const conflict = kp.kubectl(['apply', '--server-side', '--field-manager=other', '-f', file]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflict');
    expect(
      ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file]),
    ).toBe('configmap/ssa serverside-applied\n');
    expect(ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])).toBe('2');
  });
});

describe('create and patch commands', () => {
  it('creates services and ingresses with the typed (protobuf) generators', () => {
    expect(ok(['create', 'service', 'clusterip', 'hello-svc', '--tcp=5000:5000'])).toBe(
      'service/hello-svc created\n',
    );
    expect(ok(['create', 'ingress', 'hello-ing', '--rule=/=hello-svc:5000'])).toBe(
      'ingress.networking.k8s.io/hello-ing created\n',
    );
    expect(
      ok([
        'get',
        'svc',
        'hello-svc',
        '-o',
        'jsonpath={.spec.selector.app} {.spec.ports[0].targetPort}',
      ]),
    ).toBe('hello-svc 5000');
    expect(
      ok([
        'get',
        'ing',
        'hello-ing',
        '-o',
        'jsonpath={.spec.rules[0].http.paths[0].backend.service.name}',
      ]),
    ).toBe('hello-svc');
  });

  it('autoscales with kubectl 1.32 (autoscaling/v1 in protobuf)', () => {
    ok(['create', 'deployment', 'auto', '--image=nginx']);
    expect(ok(['autoscale', 'deployment', 'auto', '--cpu-percent=50', '--min=2', '--max=10'])).toBe(
      'horizontalpodautoscaler.autoscaling/auto autoscaled\n',
    );
    const hpa = JSON.parse(ok(['get', 'hpa', 'auto', '-o', 'json'])) as {
      spec: { minReplicas: number; metrics: unknown[] };
    };
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
  });

  it('exposes a deployment', () => {
    expect(ok(['expose', 'deployment', 'auto', '--port=80', '--target-port=8080'])).toBe(
      'service/auto exposed\n',
    );
    expect(
      ok([
        'get',
        'svc',
        'auto',
        '-o',
        'jsonpath={.spec.ports[0].port}/{.spec.ports[0].targetPort}',
      ]),
    ).toBe('80/8080');
  });

  it('patches with strategic merge, merge and JSON patches', () => {
    ok([
      'patch',
      'deployment',
      'auto',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"requests":{"cpu":"100m"}}}]}}}}',
    ]);
    expect(
      ok([
        'get',
        'deploy',
        'auto',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].resources.requests.cpu}',
      ]),
    ).toBe('nginx 100m');
    ok([
      'patch',
      'deployment',
      'auto',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"x":"y"}}}',
    ]);
    ok([
      'patch',
      'deployment',
      'auto',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":4}]',
    ]);
    expect(
      ok(['get', 'deploy', 'auto', '-o', 'jsonpath={.metadata.labels.x} {.spec.replicas}']),
    ).toBe('y 4');
  });

  it('edits with an EDITOR script', () => {
    const editor = join(kp.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 6/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = kp.kubectl(['edit', 'deployment', 'auto'], {
      env: { EDITOR: editor, KUBE_EDITOR: editor },
    });
    // The HPA on `auto` will undo this: kubeproc says so (beyond Kubernetes, ADR 0009).
    expect(r.stderr).toMatch(
      /^Warning: deployment "auto" is scaled by HorizontalPodAutoscaler "auto" \(min 2, max 10\)/,
    );
    expect(r.stdout).toBe('deployment.apps/auto edited\n');
    expect(ok(['get', 'deploy', 'auto', '-o', 'jsonpath={.spec.replicas}'])).toBe('6');
  });
});

describe('validation and errors', () => {
  it('rejects unknown fields with validation on, warns with --validate=warn', () => {
    const file = join(FIXTURES, 'bad-field.yaml');
    const strict = kp.kubectl(['apply', '-f', file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('unknown field "spec.bogusField"');
    const warn = kp.kubectl(['apply', '--validate=warn', '-f', file]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('Warning: unknown field "spec.bogusField"');
  });

  it('stores fields kubeproc does not act on and names them in a warning', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tolerant' },
      spec: {
        tolerations: [{ key: 'k', operator: 'Exists' }],
        containers: [{ name: 'c', image: 'busybox' }],
      },
    };
    const r = kp.kubectl(['create', '-f', '-'], { input: JSON.stringify(pod) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'Warning: spec.tolerations: kubeproc stores this field but does not act on it',
    );
    expect(ok(['get', 'pod', 'tolerant', '-o', 'jsonpath={.spec.tolerations[0].key}'])).toBe('k');
  });

  it('answers 422 Invalid with field paths', () => {
    const r = kp.kubectl(['apply', '-f', join(FIXTURES, 'bad-selector.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Deployment "bad-selector" is invalid');
    expect(r.stderr).toContain(
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(r.stderr).toContain(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: `selector` does not match template `labels`',
    );
    expect(kp.kubectl(['get', 'deploy', 'bad-selector']).code).toBe(1);
  });

  it('rejects malformed YAML without writing anything', () => {
    const r = kp.kubectl(['create', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n',
    });
    expect(r.code).not.toBe(0);
    expect(kp.kubectl(['get', 'cm', '-o', 'name']).stdout).not.toContain('unclosed');
  });
});

describe('describe, get all, wait', () => {
  it('describes a deployment', () => {
    const out = ok(['describe', 'deployment', 'web']);
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(/^Replicas:\s+3 desired/m);
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
  });

  it('shows the events of an object in describe and get events', () => {
    const uid = ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.test' },
      involvedObject: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        namespace: 'default',
        uid,
      },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-5d9f to 3',
      type: 'Normal',
      source: { component: 'deployment-controller' },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      count: 1,
    };
    ok(['create', '-f', '-'], JSON.stringify(event));
    const described = ok(['describe', 'deployment', 'web']);
    expect(described).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/);
    expect(described).toMatch(
      /^\s+Normal\s+ScalingReplicaSet\s+\d+s\s+deployment-controller\s+Scaled up replica set web-5d9f to 3$/m,
    );
    expect(ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment'])).toMatch(
      /^\d+s\s+Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-5d9f to 3$/m,
    );
  });

  it('lists the all category', () => {
    const out = ok(['get', 'all']);
    expect(out).toContain('service/web');
    expect(out).toContain('deployment.apps/web');
    expect(out).toContain('horizontalpodautoscaler.autoscaling/web');
  });

  it('explains fields from OpenAPI', () => {
    const out = ok(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/^GROUP:\s+apps$/m);
    expect(out).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
  });
});
