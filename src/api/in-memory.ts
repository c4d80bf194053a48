// The API server's REST layer over a memory store, with the in-process client: what unit tests
// of controllers and loops run against (the real API, no HTTP), and what simulations use.
import { builtinResources } from '../apis/builtin.js';
import { createSchemaRegistry } from '../apis/schema/index.js';
import { InProcessClient } from '../client/in-process.js';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { admissionChain, Cidr } from './admission/index.js';
import { bootstrap } from './bootstrap.js';
import { ResourceRegistry } from './registry.js';
import { ResourceService } from './rest/resource-service.js';

export interface InMemoryApi {
  store: Store;
  registry: ResourceRegistry;
  svc: ResourceService;
  client: InProcessClient;
}

/** A bootstrapped API (system namespaces, `kubernetes` Service) on a memory store. */
export function createInMemoryApi(now: () => Date = () => new Date()): InMemoryApi {
  const store = openMemoryStore();
  const registry = new ResourceRegistry(builtinResources());
  const schemas = createSchemaRegistry();
  const serviceCidr = '127.96.0.0/16';
  const svc = new ResourceService({
    store,
    now,
    admission: admissionChain({ serviceCidr, nodePortRange: [30000, 32767] }),
    fieldChecker: (gvk, obj, prune) => schemas.checkFields(gvk, obj, { pruneUnknownFields: prune }),
  });
  bootstrap(svc, registry, {
    apiAddress: '127.0.0.1',
    apiPort: 6443,
    serviceIp: Cidr.parse(serviceCidr).at(1),
  });
  return { store, registry, svc, client: new InProcessClient(svc, registry) };
}
