// Defaulting of Pods and PodSpecs (pkg/apis/core/v1/defaults.go plus the generated declarative
// defaults), mutating in place. Pod-only defaults stay out of templates, as upstream keeps them.
import { canonicalizeResourceList } from '../../validation/quantity.js';
import { defaultPullPolicy } from './image.js';
import type { Container, Handler, Pod, PodSpec, Probe, ResourceList, Volume } from './types.js';

const DEFAULT_MODE = 0o644; // 420, the default file mode of secret/configMap/downwardAPI/projected

function defaultHandler(h: Handler | undefined): void {
  if (h?.httpGet) {
    h.httpGet.path ||= '/';
    h.httpGet.scheme ||= 'HTTP';
  }
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) {
    return;
  }
  // Zero means unset for these int32 fields, as in Go.
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHandler(p);
  if (p.grpc) {
    p.grpc.service ??= '';
  }
}

function defaultPortsAndEnv(c: Container): void {
  for (const port of c.ports ?? []) {
    port.protocol ||= 'TCP';
  }
  for (const env of c.env ?? []) {
    const ref = env.valueFrom?.fieldRef;
    if (ref) {
      ref.apiVersion ||= 'v1';
    }
  }
}

/** SetDefaults_Container and the declarative container defaults. */
export function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  defaultPortsAndEnv(c);
  c.resources ??= {};
  canonicalizeResourceList(c.resources.limits);
  canonicalizeResourceList(c.resources.requests);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

type Items = { items?: { fieldRef?: { apiVersion?: string } }[] };

function defaultFieldRefs(src: Items | undefined): void {
  for (const item of src?.items ?? []) {
    if (item.fieldRef) {
      item.fieldRef.apiVersion ||= 'v1';
    }
  }
}

const VOLUME_SOURCE_KEYS = new Set([
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
]);

function defaultProjectedSources(v: Volume): void {
  const projected = v.projected as { sources?: Record<string, unknown>[] } | undefined;
  for (const src of projected?.sources ?? []) {
    defaultFieldRefs(src.downwardAPI as Items | undefined);
    const token = src.serviceAccountToken as { expirationSeconds?: number } | undefined;
    if (token) {
      token.expirationSeconds ??= 3600;
    }
  }
}

/** SetDefaults_Volume and its sources: emptyDir when no source, file modes 0644. */
export function defaultVolume(v: Volume): void {
  if (![...VOLUME_SOURCE_KEYS].some((k) => v[k] != null)) {
    v.emptyDir = {};
  }
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = v[k] as { defaultMode?: number } | undefined;
    if (src && typeof src === 'object') {
      src.defaultMode ??= DEFAULT_MODE;
    }
  }
  const hostPath = v.hostPath as { type?: string } | undefined;
  if (hostPath && typeof hostPath === 'object') {
    hostPath.type ??= '';
  }
  defaultFieldRefs(v.downwardAPI as Items | undefined);
  defaultProjectedSources(v);
}

// The v1 deprecated alias mirrors serviceAccountName both ways (core/v1 conversion).
function mirrorServiceAccount(spec: PodSpec): void {
  if (spec.serviceAccount && !spec.serviceAccountName) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (spec.serviceAccountName) {
    spec.serviceAccount = spec.serviceAccountName;
  }
}

/** SetDefaults_PodSpec and everything beneath it; applies to Pods and to pod templates alike. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  mirrorServiceAccount(spec);
  spec.volumes?.forEach(defaultVolume);
  spec.initContainers?.forEach(defaultContainer);
  spec.containers?.forEach(defaultContainer);
  spec.ephemeralContainers?.forEach(defaultContainer);
}

function requestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || !c.resources) {
    return;
  }
  const requests: ResourceList = (c.resources.requests ??= {});
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in requests)) {
      requests[name] = value;
    }
  }
}

const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};

function defaultHostNetworkPorts(spec: PodSpec): void {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const p of c.ports ?? []) {
      p.hostPort ||= p.containerPort;
    }
  }
}

// The Priority admission plugin: no class means priority 0; unknown classes are left alone.
function defaultPriority(spec: PodSpec): void {
  const className = spec.priorityClassName ?? '';
  const priority = className ? SYSTEM_PRIORITIES[className] : 0;
  if (priority !== undefined) {
    spec.priority ??= priority;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  }
}

/**
 * SetDefaults_Pod, then the PodSpec defaults, plus what the default admission chain adds to
 * every Pod (Priority: priority/preemptionPolicy; ServiceAccount: serviceAccountName `default`).
 */
export function defaultPod(pod: Pod): void {
  const spec = (pod.spec ??= {});
  spec.containers?.forEach(requestsFromLimits);
  spec.initContainers?.forEach(requestsFromLimits);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    defaultHostNetworkPorts(spec);
  }
  defaultPriority(spec);
  spec.serviceAccountName ||= spec.serviceAccount || 'default';
  defaultPodSpec(spec);
}
