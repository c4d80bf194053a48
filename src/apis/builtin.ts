// The built-in resources kubeproc serves: names, versions, scope, subresources, field selectors,
// and the strategy (defaulting/validation) of each kind.
import type { KubeObject } from './meta.js';
import type { KindStrategy, ResourceType, ScaleAccess, VersionInfo } from './resource-type.js';
import { strategies } from './strategies.js';
import { extraVersions } from './strategies.js';
import { labelSelectorToString } from '../lib/labels.js';
import type { LabelSelector } from './meta.js';
import { imagePrinter } from './kubeproc/printer.js';
import { apiServiceStrategy } from './apiregistration/strategy.js';
import { APIREGISTRATION_GROUP } from './apiregistration/types.js';
import { serviceMonitorStrategy } from './monitoring/strategy.js';
import { MONITORING_GROUP } from './monitoring/types.js';

type Def = Omit<ResourceType, 'versions' | 'storageVersion' | 'strategy' | 'singular'> & {
  versions?: VersionInfo[];
  version?: string;
  singular?: string;
  /** The kind's strategy, when it is not in the strategies registry. */
  strategy?: KindStrategy;
};

const field =
  (...path: string[]) =>
  (obj: KubeObject): string | undefined => {
    let cur: unknown = obj;
    for (const p of path) {
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    }
    if (cur === undefined || cur === null) {
      return '';
    }
    return typeof cur === 'string' ? cur : JSON.stringify(cur);
  };

const specStatusScale: ScaleAccess = {
  specReplicas: (obj) => (obj.spec as { replicas?: number } | undefined)?.replicas ?? 1,
  setSpecReplicas: (obj, replicas) => {
    obj.spec = { ...(obj.spec as object | undefined), replicas };
  },
  statusReplicas: (obj) => (obj.status as { replicas?: number } | undefined)?.replicas ?? 0,
  selector: (obj) =>
    labelSelectorToString((obj.spec as { selector?: LabelSelector } | undefined)?.selector ?? {}),
};

const DEFS: Def[] = [
  {
    group: '',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    subresources: ['status'],
    hasGeneration: false,
    nameRule: 'dns1123-label',
    keepStatusOnCreate: true,
    fieldSelectors: { 'status.phase': field('status', 'phase') },
  },
  {
    group: '',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      'status',
      'log',
      'exec',
      'attach',
      'portforward',
      'eviction',
      'binding',
      'ephemeralcontainers',
    ],
    hasGeneration: true,
    fieldSelectors: {
      'spec.nodeName': field('spec', 'nodeName'),
      'spec.restartPolicy': field('spec', 'restartPolicy'),
      'spec.schedulerName': field('spec', 'schedulerName'),
      'spec.serviceAccountName': field('spec', 'serviceAccountName'),
      'spec.hostNetwork': (o) =>
        String((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork ?? false),
      'status.phase': field('status', 'phase'),
      'status.podIP': field('status', 'podIP'),
      'status.nominatedNodeName': field('status', 'nominatedNodeName'),
    },
  },
  {
    group: '',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status', 'proxy'],
    hasGeneration: false,
    nameRule: 'dns1035-label',
    fieldSelectors: {
      'spec.clusterIP': field('spec', 'clusterIP'),
      'spec.type': field('spec', 'type'),
    },
  },
  {
    group: '',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    categories: [],
    subresources: [],
    hasGeneration: false,
    allowCreateOnUpdate: true,
    singular: 'endpoints',
  },
  {
    group: '',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    subresources: [],
    hasGeneration: false,
  },
  {
    group: '',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: false,
    fieldSelectors: { type: field('type') },
  },
  {
    group: '',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    categories: [],
    subresources: [],
    hasGeneration: false,
  },
  {
    group: '',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    subresources: ['status', 'proxy'],
    hasGeneration: false,
    keepStatusOnCreate: true,
    fieldSelectors: {
      'spec.unschedulable': (o) =>
        String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
    },
  },
  {
    group: '',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    subresources: [],
    hasGeneration: false,
    allowCreateOnUpdate: true,
    keepStatusOnCreate: true,
    fieldSelectors: {
      'involvedObject.kind': field('involvedObject', 'kind'),
      'involvedObject.namespace': field('involvedObject', 'namespace'),
      'involvedObject.name': field('involvedObject', 'name'),
      'involvedObject.uid': field('involvedObject', 'uid'),
      'involvedObject.apiVersion': field('involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': field('involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': field('involvedObject', 'fieldPath'),
      reason: field('reason'),
      reportingComponent: field('reportingComponent'),
      source: field('source', 'component'),
      type: field('type'),
    },
  },
  // Which server answers each group/version; upstream's aggregator lists its group first.
  {
    group: APIREGISTRATION_GROUP,
    resource: 'apiservices',
    kind: 'APIService',
    namespaced: false,
    shortNames: [],
    categories: ['api-extensions'],
    subresources: ['status'],
    hasGeneration: false,
    nameRule: 'path-segment',
    strategy: apiServiceStrategy,
  },
  {
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasGeneration: true,
    scale: specStatusScale,
  },
  {
    group: 'apps',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasGeneration: true,
    scale: specStatusScale,
    fieldSelectors: { 'status.replicas': field('status', 'replicas') },
  },
  {
    group: 'autoscaling',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    hasGeneration: true,
    versions: extraVersions['autoscaling/horizontalpodautoscalers'],
  },
  {
    group: 'networking.k8s.io',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    categories: [],
    subresources: ['status'],
    hasGeneration: true,
  },
  {
    group: 'networking.k8s.io',
    resource: 'ingressclasses',
    kind: 'IngressClass',
    namespaced: false,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: true,
  },
  {
    group: 'policy',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    categories: [],
    subresources: ['status'],
    hasGeneration: true,
  },
  {
    group: 'discovery.k8s.io',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: true,
  },
  // Served from the core Event storage; no short name, so `ev` stays unambiguous (KUBECTL.md §1.7).
  {
    group: 'events.k8s.io',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: false,
    versions: extraVersions['events.k8s.io/events'],
    storedAs: { group: '', resource: 'events' },
    allowCreateOnUpdate: true,
    keepStatusOnCreate: true,
  },
  {
    group: 'coordination.k8s.io',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: false,
    allowCreateOnUpdate: true,
  },
  // A container image name registered as a local command (src/apis/kubeproc/).
  {
    group: 'kubeproc.io',
    version: 'v1alpha1',
    resource: 'images',
    kind: 'Image',
    namespaced: false,
    shortNames: [],
    categories: [],
    subresources: [],
    hasGeneration: true,
    printer: imagePrinter,
  },
  // prometheus-operator's CRD, built in: the built-in scraper reads it (src/metrics/scrape).
  {
    group: MONITORING_GROUP,
    resource: 'servicemonitors',
    kind: 'ServiceMonitor',
    namespaced: true,
    shortNames: ['smon'],
    categories: ['prometheus-operator'],
    subresources: ['status'],
    hasGeneration: true,
    strategy: serviceMonitorStrategy,
  },
];

function build(def: Def): ResourceType {
  const versions = def.versions ?? [{ version: def.version ?? 'v1' }];
  const strategy: KindStrategy = def.strategy ?? strategies[`${def.group}/${def.kind}`] ?? {};
  const { version: _v, ...rest } = def;
  return {
    ...rest,
    versions,
    storageVersion: versions[0]?.version ?? 'v1',
    singular: def.singular ?? def.kind.toLowerCase(),
    strategy,
  };
}

/** Every built-in resource type, in discovery order. */
export function builtinResources(): ResourceType[] {
  return DEFS.map(build);
}
