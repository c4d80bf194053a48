// Fields kubeproc stores but does not act on, named as paths for `Warning:` headers. Only fields
// a user set (not our defaults) and that a process-based runtime on one node really ignores.
import { child, index } from '../../validation/field-error.js';
import type { Container, PodSpec, Service } from './types.js';

const IGNORED_POD_FIELDS = [
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'dnsConfig',
  'hostAliases',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'hostUsers',
  'imagePullSecrets',
  'runtimeClassName',
  'priorityClassName',
  'overhead',
  'readinessGates',
  'resourceClaims',
  'schedulingGates',
  'setHostnameAsFQDN',
  'os',
] as const;

// A process runtime can fill these from local files or the API; the rest need a storage driver.
const SERVED_VOLUME_SOURCES = new Set([
  'name',
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'downwardAPI',
  'projected',
]);

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false) {
    return false;
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  return typeof v !== 'object' || Object.keys(v).length > 0;
}

function containerIgnoredFields(c: Container, path: string): string[] {
  const out: string[] = [];
  for (const f of ['securityContext', 'volumeDevices', 'resizePolicy'] as const) {
    if (isSet(c[f])) {
      out.push(child(path, f));
    }
  }
  return out;
}

/** The ignored fields of a PodSpec found at `path` (`spec`, `spec.template.spec`). */
export function podSpecIgnoredFields(spec: PodSpec | undefined, path: string): string[] {
  if (!spec) {
    return [];
  }
  const out = IGNORED_POD_FIELDS.filter((f) => isSet(spec[f])).map((f) => child(path, f));
  for (const [k, v] of Object.entries(spec.securityContext ?? {})) {
    if (isSet(v)) {
      out.push(child(path, 'securityContext', k));
    }
  }
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((c, i) =>
      out.push(...containerIgnoredFields(c, index(child(path, list), i))),
    );
  }
  (spec.volumes ?? []).forEach((v, i) => {
    for (const k of Object.keys(v)) {
      if (!SERVED_VOLUME_SOURCES.has(k) && v[k] != null) {
        out.push(child(index(child(path, 'volumes'), i), k));
      }
    }
  });
  return out;
}

const IGNORED_SERVICE_FIELDS = [
  'externalIPs',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'loadBalancerClass',
  'trafficDistribution',
] as const;

/** The ignored fields of a Service. */
export function serviceIgnoredFields(svc: Service): string[] {
  const spec = svc.spec ?? {};
  return IGNORED_SERVICE_FIELDS.filter((f) => isSet(spec[f])).map((f) => `spec.${f}`);
}
