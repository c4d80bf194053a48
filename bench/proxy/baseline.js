// An A/B target: a second `kubeproc up --no-node` from another build (--baseline-bin) whose
// ingress routes to the very backend pods of the main cluster, through a selector-less Service
// and a hand-written EndpointSlice, so both builds are measured in the same rounds.
import { call } from '../controllers/client.js';
import { startProxyCluster } from './cluster.js';
import { get, NAMESPACE, waitFor } from './workload.js';

const NAME = 'backend';

function slice(endpoints) {
  const [, port] = endpoints[0].split(':');
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${NAME}-bench`, labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: Number(port), protocol: 'TCP' }],
    endpoints: endpoints.map((ep) => ({
      addresses: [ep.split(':')[0]],
      conditions: { ready: true, serving: true, terminating: false },
    })),
  };
}

/** One slice per port: in host mode each pod has its own host port. */
function slices(endpoints) {
  return endpoints.map((ep, i) => ({
    ...slice([ep]),
    metadata: { name: `${NAME}-bench-${i}`, labels: { 'kubernetes.io/service-name': NAME } },
  }));
}

/**
 * Starts a second kubeproc (another build, or this one with other flags: `extraArgs`, its own
 * service CIDR) and points its ingress at endpoints; resolves with its cluster.
 */
export async function startBaseline(bin, endpoints, agent, log, opts = {}) {
  const { extraArgs = [], serviceCidr = '127.97.0.0/16', label = 'baseline' } = opts;
  const cluster = await startProxyCluster({
    ...(bin ? { bin } : {}),
    extraArgs: ['--no-node', '--service-cidr', serviceCidr, ...extraArgs],
  });
  log(
    `${label} kubeproc up (pid ${cluster.pid}, ${bin ?? 'this build'}), ingress ${cluster.ingressUrl}`,
  );
  const post = (path, body) => call(cluster.url, { method: 'POST', path, body, agent });
  await post('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE },
  });
  await post(`/api/v1/namespaces/${NAMESPACE}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME },
    spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  for (const s of slices(endpoints)) {
    await post(`/apis/discovery.k8s.io/v1/namespaces/${NAMESPACE}/endpointslices`, s);
  }
  await post(`/apis/networking.k8s.io/v1/namespaces/${NAMESPACE}/ingresses`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: NAME },
    spec: {
      ingressClassName: 'kubeproc',
      defaultBackend: { service: { name: NAME, port: { number: 80 } } },
    },
  });
  await waitFor(async () => (await get(`${cluster.ingressUrl}/`)).body === 'ok', `ok via ${label}`);
  return cluster;
}
