// From an Ingress route to what the forwarder needs: the Service (in the Ingress's namespace),
// its port by number or name, and that port's current backends, or the reason there are none.
import { ServiceCatalog as Catalog } from '../backends/catalog.js';
import type { PickerRegistry } from '../backends/pickers.js';
import type { ServiceLookup } from '../backends/types.js';
import type { ForwardTarget } from '../http/forwarder.js';
import type { Route } from './router.js';

export type Resolution = { target: ForwardTarget } | { status: number; message: string };

/** Resolves a route's backend now; a 503 with a one-line reason when it cannot be served. */
export function resolveRoute(
  route: Route,
  catalog: ServiceLookup,
  pickers: PickerRegistry,
): Resolution {
  const ref = route.backend.service;
  if (!ref) {
    return {
      status: 503,
      message: `resource backends are not supported (ingress ${route.ingress})`,
    };
  }
  const key = `${route.namespace}/${ref.name}`;
  const svc = catalog.service(key);
  if (!svc) {
    return { status: 503, message: `service ${key} not found` };
  }
  if (svc.spec?.type === 'ExternalName') {
    return {
      status: 503,
      message: `service ${key} is of type ExternalName, which is not supported`,
    };
  }
  const port = Catalog.findPort(svc, ref.port ?? {});
  if (!port) {
    return {
      status: 503,
      message: `service ${key} has no port ${ref.port?.name ?? ref.port?.number ?? ''}`,
    };
  }
  const portName = port.name ?? '';
  return {
    target: {
      scope: { namespace: route.namespace, service: ref.name },
      picker: pickers.get(`${key}#${portName}`),
      backends: () => catalog.backends(key, portName),
    },
  };
}
