// Services and Ingresses as a user reaches them with the real kubectl: ClusterIP and NodePort
// listeners balancing per connection, ClientIP affinity, the seed's `kubectl create ingress`
// (no class), a new replica taking traffic within seconds, and the metrics on /metrics.
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const APP = join(FIXTURES, 'app/app.mjs');
let kp: Kubeproc;

/** One GET on a fresh connection (the Service proxy balances connections, not requests). */
function fetchOnce(url: string, host?: string): Promise<string> {
  return new Promise((resolve) => {
    const req = httpGet(
      url,
      { agent: false, timeout: 5_000, headers: host ? { host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
  });
}

async function podsAnswering(url: string, n = 12): Promise<Set<string>> {
  const bodies = [];
  for (let i = 0; i < n; i++) {
    bodies.push(await fetchOnce(url));
  }
  return new Set(bodies);
}

function jsonpath(args: string[], path: string): string {
  return kp.kubectlOk([...args, '-o', `jsonpath={${path}}`]);
}

beforeAll(async () => {
  const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;
  const nodePorts = 30000 + 100 * Math.floor(Math.random() * 27);
  kp = await startKubeproc([
    '--ingress-http-port',
    '0',
    '--service-cidr',
    `${net}.0/24`,
    '--node-port-range',
    `${nodePorts}-${nodePorts + 99}`,
  ]);
  kp.kubectlOk(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'fixture',
                command: ['node', APP],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                ports: [{ containerPort: 5000 }],
                readinessProbe: { httpGet: { path: '/ready', port: 5000 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    }),
  );
  kp.kubectlOk(['expose', 'deployment', 'web', '--port', '5000']);
  await eventually(
    '2 ready endpoints',
    () =>
      jsonpath(['get', 'endpoints', 'web'], '.subsets[*].addresses[*].ip').split(' ').length === 2,
    60_000,
  );
});

afterAll(async () => {
  await kp?.stop();
});

describe('Services', () => {
  it('serves a ClusterIP Service on its ClusterIP, balancing connections over both pods', async () => {
    const ip = jsonpath(['get', 'svc', 'web'], '.spec.clusterIP');
    await eventually('both pods behind the ClusterIP', async () => {
      const answers = await podsAnswering(`http://${ip}:5000/`);
      return answers.size === 2 && [...answers].every((a) => a.startsWith('200 Hello from web-'));
    });
  });

  it('serves a NodePort Service on 127.0.0.1:<nodePort>', async () => {
    kp.kubectlOk([
      'expose',
      'deployment',
      'web',
      '--name',
      'web-np',
      '--type',
      'NodePort',
      '--port',
      '80',
      '--target-port',
      '5000',
    ]);
    const nodePort = jsonpath(['get', 'svc', 'web-np'], '.spec.ports[0].nodePort');
    await eventually('both pods behind the node port', async () => {
      const answers = await podsAnswering(`http://127.0.0.1:${nodePort}/`);
      return answers.size === 2;
    });
  });

  it('keeps a client on one pod with sessionAffinity ClientIP', async () => {
    kp.kubectlOk(['patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
    const ip = jsonpath(['get', 'svc', 'web'], '.spec.clusterIP');
    await eventually('one pod for every connection', async () => {
      return (await podsAnswering(`http://${ip}:5000/`, 10)).size === 1;
    });
  });
});

describe('the ingress, as the seed uses it', () => {
  let url = '';

  it('serves `kubectl create ingress` (no class) and shows its address', async () => {
    kp.kubectlOk(['create', 'ingress', 'hello', '--rule=/=web:5000']);
    expect(kp.kubectlOk(['get', 'ingressclass', '--no-headers'])).toMatch(
      /^kubeproc\s+kubeproc\.io\/ingress-controller\s+<none>/,
    );
    await eventually('the ingress address', () => {
      const port = jsonpath(
        ['get', 'ingress', 'hello'],
        '.status.loadBalancer.ingress[0].ports[0].port',
      );
      url = port ? `http://127.0.0.1:${port}/` : '';
      return url !== '';
    });
    expect(kp.kubectlOk(['get', 'ingress', 'hello', '--no-headers'])).toMatch(
      /^hello\s+<none>\s+\*\s+127\.0\.0\.1\s+80\s/,
    );
    expect(await fetchOnce(url)).toMatch(/^200 Hello from web-/);
    // kubectl create ingress makes "/" an Exact path.
    expect(await fetchOnce(`${url}other`)).toBe('404 default backend - 404');
  });

  it('sends traffic to a new replica within seconds of it turning ready', async () => {
    kp.kubectlOk(['scale', 'deployment', 'web', '--replicas=3']);
    await eventually(
      '3 pods answering through the ingress',
      async () => {
        const answers = new Set<string>();
        for (let i = 0; i < 9; i++) {
          answers.add(await fetchOnce(url));
        }
        return answers.size === 3;
      },
      60_000,
    );
  });

  it('counts requests per Service and pod on the API server /metrics', () => {
    const metrics = kp.kubectlOk(['get', '--raw', '/metrics']);
    expect(metrics).toMatch(
      /^kubeproc_proxy_requests_total\{namespace="default",service="web",pod="",code="2xx"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(
      /^kubeproc_proxy_requests_in_flight\{namespace="default",service="web",pod="web-[^"]+"\} 0$/m,
    );
    expect(metrics).toMatch(
      /^kubeproc_proxy_tcp_connections_total\{namespace="default",service="web",pod=""\} [1-9]/m,
    );
  });
});
