// What the proxy benchmark runs on kubeproc: a Deployment of two backend.mjs pods, a Service and
// an Ingress in front of them; then the pods' real addresses (ready EndpointSlice endpoints), so
// nginx and the direct runs use exactly the processes kubeproc's ingress routes to.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { sleep } from '../api/processes.js';
import { call } from '../controllers/client.js';

export const NAMESPACE = 'bench-proxy';
const NAME = 'backend';
const BACKEND = fileURLToPath(new URL('./backend.mjs', import.meta.url));
const LABELS = { app: NAME };

function deployment(replicas) {
  const container = {
    name: 'backend',
    image: 'node',
    command: ['node', BACKEND],
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, labels: LABELS },
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: { terminationGracePeriodSeconds: 5, containers: [container] },
      },
    },
  };
}

const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: NAME },
  spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

const INGRESS = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: NAME },
  spec: {
    ingressClassName: 'kubeproc',
    rules: [
      {
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: NAME, port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
};

/** Ready endpoints of the Service as host:port strings, from its EndpointSlices. */
async function readyEndpoints(ctx) {
  const selector = encodeURIComponent(`kubernetes.io/service-name=${NAME}`);
  const path = `/apis/discovery.k8s.io/v1/namespaces/${NAMESPACE}/endpointslices?labelSelector=${selector}`;
  const { json } = await call(ctx.url, { path, agent: ctx.agent });
  const found = new Set();
  for (const slice of json.items) {
    const port = slice.ports?.find((p) => p.name === 'http')?.port ?? slice.ports?.[0]?.port;
    for (const ep of slice.endpoints ?? []) {
      if (port && ep.conditions?.ready !== false) {
        found.add(`${ep.addresses[0]}:${port}`);
      }
    }
  }
  return [...found].sort();
}

/** One GET; resolves with { status, body } (status 0 on a connection error). */
export function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Polls fn until it returns a truthy value; throws with `what` after timeoutMs. */
export async function waitFor(fn, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value) {
      return value;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Creates the namespace, Deployment, Service and Ingress; waits until `replicas` endpoints are
 * ready and each answers `ok` directly and through the ingress. Resolves with the endpoints.
 */
export async function deployBackends(ctx, replicas) {
  const post = (path, body) => call(ctx.url, { method: 'POST', path, body, agent: ctx.agent });
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } };
  await post('/api/v1/namespaces', ns);
  await post(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, deployment(replicas));
  await post(`/api/v1/namespaces/${NAMESPACE}/services`, SERVICE);
  await post(`/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses`, INGRESS);
  const endpoints = await waitFor(async () => {
    const eps = await readyEndpoints(ctx);
    return eps.length === replicas ? eps : undefined;
  }, `${replicas} ready endpoints of Service ${NAME}`);
  for (const ep of endpoints) {
    await waitFor(async () => (await get(`http://${ep}/`)).body === 'ok', `ok from ${ep}`);
  }
  await waitFor(async () => (await get(`${ctx.ingressUrl}/`)).body === 'ok', 'ok via ingress');
  return endpoints;
}

/** The backend pods with their container state files (for CPU accounting). */
export async function backendPods(ctx) {
  const path = `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3D${NAME}`;
  const { json } = await call(ctx.url, { path, agent: ctx.agent });
  return json.items;
}
