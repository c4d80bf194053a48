// The server-side Table printers, keyed by qualified resource name (`pods`, `deployments.apps`),
// plus the default printer for kinds without one.
import type { TablePrinter } from '../../apis/resource-type.js';
import { apiServicePrinter } from './apiservice.js';
import { eventPrinter, eventsV1Printer } from './events.js';
import { hpaPrinter } from './hpa.js';
import { nodeMetricsPrinter, podMetricsPrinter } from './metrics.js';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  servicePrinter,
} from './network.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { serviceMonitorPrinter } from './servicemonitor.js';
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './simple.js';
import {
  cronJobPrinter,
  deploymentPrinter,
  jobPrinter,
  pdbPrinter,
  replicaSetPrinter,
} from './workloads.js';

export { defaultPrinter } from './simple.js';
export { humanDuration, translateTimestampSince } from './duration.js';

/** Printers for the built-in resources kubeproc serves, keyed by `resource` or `resource.group`. */
export const printers: Record<string, TablePrinter> = {
  pods: podPrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  events: eventPrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  'deployments.apps': deploymentPrinter,
  'replicasets.apps': replicaSetPrinter,
  'horizontalpodautoscalers.autoscaling': hpaPrinter,
  'ingresses.networking.k8s.io': ingressPrinter,
  'ingressclasses.networking.k8s.io': ingressClassPrinter,
  'poddisruptionbudgets.policy': pdbPrinter,
  'endpointslices.discovery.k8s.io': endpointSlicePrinter,
  'leases.coordination.k8s.io': leasePrinter,
  'events.events.k8s.io': eventsV1Printer,
  'jobs.batch': jobPrinter,
  'cronjobs.batch': cronJobPrinter,
  'apiservices.apiregistration.k8s.io': apiServicePrinter,
  'pods.metrics.k8s.io': podMetricsPrinter,
  'nodes.metrics.k8s.io': nodeMetricsPrinter,
  'servicemonitors.monitoring.coreos.com': serviceMonitorPrinter,
};
