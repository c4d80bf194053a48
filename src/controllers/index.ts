// The controller registry: name -> factory. Startup fails on a duplicate name.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Client } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer.js';
import { DeploymentController } from './deployment/controller.js';
import { DisruptionController } from './disruption/controller.js';
import { EndpointsController } from './endpoints/controller.js';
import { EndpointSliceController } from './endpointslice/controller.js';
import { GarbageCollector } from './garbage-collector/garbage-collector.js';
import { HorizontalPodAutoscalerController } from './horizontal-pod-autoscaler/controller.js';
import type { HPAControllerOptions } from './horizontal-pod-autoscaler/options.js';
import { NamespaceController } from './namespace/controller.js';
import { ReplicaSetController } from './replicaset/controller.js';
import { ServiceAccountsController } from './serviceaccount/controller.js';

interface Controller {
  start(signal: AbortSignal): Promise<void>;
}

/** Settings of individual controllers (kube-controller-manager's flags). */
export interface ControllerOptions {
  hpa?: Partial<HPAControllerOptions>;
}

type Factory = (
  client: Client,
  informers: SharedInformerFactory,
  log: Logger,
  options: ControllerOptions,
) => Controller;

const FACTORIES: [string, Factory][] = [
  ['namespace', (c, i, l) => new NamespaceController(c, i, l.child({ controller: 'namespace' }))],
  [
    'deployment',
    (c, i, l) =>
      new DeploymentController({
        client: c,
        informers: i,
        log: l.child({ controller: 'deployment' }),
      }),
  ],
  [
    'disruption',
    (c, i, l) =>
      new DisruptionController({
        client: c,
        informers: i,
        log: l.child({ controller: 'disruption' }),
      }),
  ],
  [
    'endpoint',
    (c, i, l) =>
      new EndpointsController({
        client: c,
        informers: i,
        log: l.child({ controller: 'endpoint' }),
      }),
  ],
  [
    'endpointslice',
    (c, i, l) =>
      new EndpointSliceController({
        client: c,
        informers: i,
        log: l.child({ controller: 'endpointslice' }),
      }),
  ],
  [
    'garbagecollector',
    (c, i, l) =>
      new GarbageCollector({
        client: c,
        informers: i,
        log: l.child({ controller: 'garbagecollector' }),
      }),
  ],
  [
    'horizontalpodautoscaling',
    (c, i, l, o) =>
      new HorizontalPodAutoscalerController({
        client: c,
        informers: i,
        log: l.child({ controller: 'horizontalpodautoscaling' }),
        ...(o.hpa ? { options: o.hpa } : {}),
      }),
  ],
  [
    'replicaset',
    (c, i, l) =>
      new ReplicaSetController({
        client: c,
        informers: i,
        log: l.child({ controller: 'replicaset' }),
      }),
  ],
  [
    'serviceaccount',
    (c, i, l) => new ServiceAccountsController(c, i, l.child({ controller: 'serviceaccount' })),
  ],
];

/** Starts every controller; resolves once all have stopped after signal aborts. */
export async function startControllers(
  client: Client,
  signal: AbortSignal,
  log: Logger,
  options: ControllerOptions = {},
): Promise<void> {
  // Every informer, queue and worker listens for this one signal: dozens, by design.
  setMaxListeners(0, signal);
  const names = new Set<string>();
  const informers = new SharedInformerFactory(client);
  const controllers: Controller[] = [];
  for (const [name, factory] of FACTORIES) {
    if (names.has(name)) {
      throw new Error(`controller ${name} registered twice`);
    }
    names.add(name);
    controllers.push(factory(client, informers, log, options));
  }
  await Promise.all([informers.start(signal), ...controllers.map((c) => c.start(signal))]);
}
