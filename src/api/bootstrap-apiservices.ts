// The APIServices a cluster has from the start: one Local APIService per group/version this
// server serves (kube-apiserver's autoregistration), metrics-server's v1beta1.metrics.k8s.io while
// metrics are served, and a custom metrics adapter's (custom/external.metrics.k8s.io) while a
// provider runs. Synced at startup: missing ones created, specs refreshed, stale removed.
import type { KubeObject } from '../apis/meta.js';
import { builtinPriority, CUSTOM_RESOURCE_PRIORITY } from '../apis/apiregistration/priorities.js';
import {
  apiServiceName,
  APIREGISTRATION_GROUP,
  AUTOMANAGED_LABEL,
} from '../apis/apiregistration/types.js';
import type { APIService, APIServiceSpec } from '../apis/apiregistration/types.js';
import { formatTime } from '../apis/meta.js';
import { METRICS_GROUP, METRICS_VERSION } from '../apis/metrics/types.js';
import { isNotFound } from '../lib/errors.js';
import { deepEqual } from '../apis/validation/equality.js';
import type { Scope } from './rest/context.js';
import { deleteObject } from './rest/delete.js';
import type { ResourceService } from './rest/resource-service.js';
import type { ResourceRegistry } from './registry.js';

const MANAGER = { fieldManager: 'kube-apiserver' };
/** What metrics-server's manifests label their objects with. */
const METRICS_SERVER_LABELS = { 'k8s-app': 'metrics-server' };
const METRICS_APISERVICE = apiServiceName(METRICS_GROUP, METRICS_VERSION);
/** The label kubeproc puts on the custom/external metrics APIServices it serves itself. */
const ADAPTER_LABELS = { 'app.kubernetes.io/name': 'kubeproc-metrics-adapter' };
/** The groups a custom metrics adapter serves, with each version's priority (its Helm chart's). */
const ADAPTER_VERSIONS: { group: string; version: string; versionPriority: number }[] = [
  { group: 'custom.metrics.k8s.io', version: 'v1beta2', versionPriority: 200 },
  { group: 'custom.metrics.k8s.io', version: 'v1beta1', versionPriority: 100 },
  { group: 'external.metrics.k8s.io', version: 'v1beta1', versionPriority: 100 },
];
const ADAPTER_GROUPS = new Set(ADAPTER_VERSIONS.map((v) => v.group));

export interface APIServiceBootstrapOptions {
  /** The metrics server runs, so v1beta1.metrics.k8s.io is registered and Available. */
  metricsServed: boolean;
  /** A custom/external metrics provider runs: their APIServices are registered and Available. */
  customMetricsServed?: boolean;
  now: Date;
}

/** The metrics APIService as metrics-server's manifest declares it (port defaulted). */
export function metricsAPIService(): APIService {
  return {
    metadata: { name: METRICS_APISERVICE, labels: { ...METRICS_SERVER_LABELS } },
    spec: {
      service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
      group: METRICS_GROUP,
      version: METRICS_VERSION,
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
}

/** custom.metrics.k8s.io and external.metrics.k8s.io, as a prometheus-adapter install has them. */
export function customMetricsAPIServices(): APIService[] {
  return ADAPTER_VERSIONS.map(({ group, version, versionPriority }) => ({
    metadata: { name: apiServiceName(group, version), labels: { ...ADAPTER_LABELS } },
    spec: {
      service: { namespace: 'kube-system', name: 'kubeproc-metrics-adapter', port: 443 },
      group,
      version,
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority,
    },
  }));
}

/**
 * One Local APIService per served group/version but the aggregator's own group and metrics.
 * Built-in group/versions are synced once on start; others are treated like CRD groups.
 */
export function localAPIServices(registry: ResourceRegistry): APIService[] {
  const out: APIService[] = [];
  for (const { group, versions } of registry.groups()) {
    if (group === APIREGISTRATION_GROUP || group === METRICS_GROUP || ADAPTER_GROUPS.has(group)) {
      continue;
    }
    for (const version of versions) {
      const builtin = builtinPriority(group, version);
      const priority = builtin ?? CUSTOM_RESOURCE_PRIORITY;
      out.push({
        metadata: {
          name: apiServiceName(group, version),
          labels: { [AUTOMANAGED_LABEL]: builtin ? 'onstart' : 'true' },
        },
        spec: {
          group,
          version,
          groupPriorityMinimum: priority.group,
          versionPriority: priority.version,
        },
      });
    }
  }
  return out;
}

function scopeOf(registry: ResourceRegistry): Scope {
  const found = registry.storage(APIREGISTRATION_GROUP, 'apiservices');
  if (!found) {
    throw new Error('bootstrap: resource apiregistration.k8s.io/apiservices is not registered');
  }
  return { rt: found.rt, version: found.version, namespace: '' };
}

/** Ours to change or remove: autoregistered, or the metrics APIService kubeproc created. */
function isOurs(obj: KubeObject): boolean {
  const labels = obj.metadata.labels ?? {};
  return (
    AUTOMANAGED_LABEL in labels ||
    (obj.metadata.name === METRICS_APISERVICE && labels['k8s-app'] === 'metrics-server') ||
    labels['app.kubernetes.io/name'] === ADAPTER_LABELS['app.kubernetes.io/name']
  );
}

function ensure(svc: ResourceService, scope: Scope, desired: APIService): KubeObject {
  const name = desired.metadata.name ?? '';
  let current: KubeObject;
  try {
    current = svc.getStored(scope, name);
  } catch (e) {
    if (!isNotFound(e)) {
      throw e;
    }
    return svc.create(scope, desired, MANAGER);
  }
  const spec = current.spec as APIServiceSpec | undefined;
  if (!isOurs(current) || deepEqual(spec, desired.spec)) {
    return current;
  }
  return svc.replaceStored(
    scope,
    current,
    { ...structuredClone(current), spec: desired.spec },
    MANAGER,
  );
}

/** Marks the metrics APIService Available, as the availability controller does once it answers. */
function markAvailable(svc: ResourceService, scope: Scope, current: KubeObject, now: Date): void {
  const conditions = (current as APIService).status?.conditions ?? [];
  const available = conditions.find((c) => c.type === 'Available');
  if (available?.status === 'True') {
    return;
  }
  const condition = {
    type: 'Available',
    status: 'True' as const,
    lastTransitionTime: formatTime(now),
    reason: 'Passed',
    message: 'all checks passed',
  };
  const status = {
    conditions: [...conditions.filter((c) => c.type !== 'Available'), condition],
  };
  svc.replaceStored(
    scope,
    current,
    { ...structuredClone(current), status },
    {
      ...MANAGER,
      subresource: 'status',
    },
  );
}

/** Creates, refreshes and prunes the APIServices; idempotent across restarts. */
export function syncAPIServices(
  svc: ResourceService,
  registry: ResourceRegistry,
  opts: APIServiceBootstrapOptions,
): void {
  const scope = scopeOf(registry);
  const desired = localAPIServices(registry);
  const served: APIService[] = [];
  if (opts.metricsServed) {
    served.push(metricsAPIService());
  }
  if (opts.customMetricsServed) {
    served.push(...customMetricsAPIServices());
  }
  desired.push(...served);
  const wanted = new Set(desired.map((d) => d.metadata.name));
  const isServed = new Set(served.map((d) => d.metadata.name));
  for (const d of desired) {
    const current = ensure(svc, scope, d);
    if (isServed.has(d.metadata.name)) {
      markAvailable(svc, scope, current, opts.now);
    }
  }
  for (const obj of svc.listStored(scope, {}).items) {
    const name = obj.metadata.name ?? '';
    if (!wanted.has(name) && isOurs(obj)) {
      deleteObject(svc, scope, name, {}, MANAGER);
    }
  }
}
