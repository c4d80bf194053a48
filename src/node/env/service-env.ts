// Docker-link style variables for Services (pkg/kubelet/envvars/envvars.go) and the choice of
// Services a pod sees (kubelet_pods.go getServiceEnvVarMap).
import type { KubeObject } from '../../apis/meta.js';
import type { ServicePort, ServiceSpec } from '../../apis/core/v1/types.js';

/** The master Services every pod gets, from the `default` namespace only. */
const MASTER_SERVICES = new Set(['kubernetes']);

const specOf = (service: KubeObject): ServiceSpec => service.spec ?? {};

/** Whether the Service has a cluster IP (not headless, not ExternalName). */
function isServiceIPSet(service: KubeObject): boolean {
  const clusterIP = specOf(service).clusterIP ?? '';
  return clusterIP !== '' && clusterIP !== 'None';
}

/**
 * `my-svc` → `MY_SVC`, and nothing more: the kubelet turns dashes only, so a port named `80-8080`
 * (as `kubectl create service` names them) gives `…_SERVICE_PORT_80_8080`.
 */
function envVariableName(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}

function linkVariables(
  prefix: string,
  clusterIP: string,
  ports: ServicePort[],
): [string, string][] {
  const vars: [string, string][] = [];
  ports.forEach((sp, i) => {
    const protocol = sp.protocol || 'TCP';
    const lower = protocol.toLowerCase();
    const port = String(sp.port ?? 0);
    const url = `${lower}://${clusterIP}:${port}`;
    if (i === 0) {
      // Docker special-cases the first port.
      vars.push([`${prefix}_PORT`, url]);
    }
    const portPrefix = `${prefix}_PORT_${port}_${protocol.toUpperCase()}`;
    vars.push(
      [portPrefix, url],
      [`${portPrefix}_PROTO`, lower],
      [`${portPrefix}_PORT`, port],
      [`${portPrefix}_ADDR`, clusterIP],
    );
  });
  return vars;
}

function serviceVariables(service: KubeObject): [string, string][] {
  const { clusterIP = '', ports = [] } = specOf(service);
  const first = ports[0];
  // Validation requires a port on every ClusterIP Service; upstream would panic without one.
  if (first === undefined) {
    return [];
  }
  const prefix = envVariableName(service.metadata.name ?? '');
  const portVar = `${prefix}_SERVICE_PORT`;
  const vars: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, clusterIP],
    [portVar, String(first.port ?? 0)],
  ];
  for (const sp of ports) {
    if (sp.name) {
      vars.push([`${portVar}_${envVariableName(sp.name)}`, String(sp.port ?? 0)]);
    }
  }
  return [...vars, ...linkVariables(prefix, clusterIP, ports)];
}

/** The docker-link variables of the given Services; headless and IP-less ones are skipped. */
export function serviceEnvVars(services: KubeObject[]): Record<string, string> {
  const vars = services.filter(isServiceIPSet).flatMap(serviceVariables);
  return Object.fromEntries(vars);
}

/**
 * The Services a pod in `namespace` sees: `default/kubernetes` always, and with service links
 * every Service of its own namespace, which wins over the master one of the same name.
 */
export function servicesForPod(
  services: KubeObject[],
  namespace: string,
  enableServiceLinks: boolean,
): KubeObject[] {
  const byName = new Map<string, KubeObject>();
  for (const service of services) {
    if (!isServiceIPSet(service)) {
      continue;
    }
    const name = service.metadata.name ?? '';
    const ns = service.metadata.namespace ?? '';
    if (ns === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) {
        byName.set(name, service);
      }
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, service);
    }
  }
  // Upstream walks a Go map here; sorting by name makes name collisions resolve the same way
  // every time (the later name wins).
  return [...byName.keys()].sort().map((name) => byName.get(name) as KubeObject);
}
