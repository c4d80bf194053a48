// A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
// service links, then envFrom, then env with $(VAR) expansion and valueFrom sources.
import type { Container, EnvFromSource, EnvVar, Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { isRelaxedEnvVarName } from '../../apis/validation/key-validators.js';
import { expand, mappingFor, type Mapping } from './expansion.js';
import { podFieldRefValue, type FieldRefContext } from './field-ref.js';
import { ObjectRefs, type RefKind } from './object-refs.js';
import { resourceFieldRefValue } from './resource-ref.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

export interface EnvSources {
  /** undefined when not found */
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Every Service the agent knows (any namespace); the pod's are picked as upstream does. */
  services: KubeObject[];
  nodeName: string;
  /** status.hostIP / status.podIP as exposed through fieldRef. */
  hostIP: string;
  podIP: string;
  /** All host and pod IPs for status.hostIPs / status.podIPs; default [hostIP] and [podIP]. */
  hostIPs?: string[];
  podIPs?: string[];
  /** Node allocatable, for resourceFieldRef limits the container leaves unset. */
  nodeAllocatable: Record<string, string>;
}

/** Event reason the kubelet used for skipped envFrom keys. */
export const INVALID_ENV_NAMES_REASON = 'InvalidEnvironmentVariableNames';

/** envFrom keys left out because no process can carry them as a variable name. */
export interface InvalidEnvKeys {
  kind: RefKind;
  namespace: string;
  name: string;
  /** With the prefix, sorted. */
  keys: string[];
  /** The kubelet's event message for them. */
  message: string;
}

export interface MakeEnvironmentOptions {
  /** Called once per envFrom source that had keys left out. */
  onInvalidKeys?: (skipped: InvalidEnvKeys) => void;
}

interface Resolution {
  pod: Pod;
  container: Container;
  sources: EnvSources;
  refs: ObjectRefs;
  fieldCtx: FieldRefContext;
}

/**
 * The container's env as name → value. Precedence as upstream: env over envFrom (later sources
 * over earlier), both over service links. `$(VAR)` in `value` sees envFrom, earlier env and
 * service variables. Order: envFrom keys, env in declaration order, then service variables
 * (upstream's order comes from Go map iteration and is not defined).
 */
export async function makeEnvironment(
  pod: Pod,
  container: Container,
  sources: EnvSources,
  options: MakeEnvironmentOptions = {},
): Promise<Record<string, string>> {
  const ctx = resolution(pod, container, sources);
  const serviceEnv = serviceEnvForPod(pod, sources.services);
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    await addEnvFrom(env, from, ctx, options);
  }
  // The mapping reads `env` live: a value sees only what is declared before it.
  const mapping = mappingFor(env, serviceEnv);
  for (const envVar of container.env ?? []) {
    const value = await envVarValue(envVar, mapping, ctx);
    if (value !== undefined) {
      env.set(envVar.name ?? '', value);
    }
  }
  for (const [name, value] of serviceEnv) {
    if (!env.has(name)) {
      env.set(name, value);
    }
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays an ordinary variable.
  return Object.fromEntries(env);
}

function resolution(pod: Pod, container: Container, sources: EnvSources): Resolution {
  const fieldCtx: FieldRefContext = {
    nodeName: sources.nodeName,
    hostIPs: sources.hostIPs ?? [sources.hostIP],
    podIPs: sources.podIPs ?? [sources.podIP],
  };
  const refs = new ObjectRefs(sources, pod.metadata.namespace ?? '');
  return { pod, container, sources, refs, fieldCtx };
}

/** getServiceEnvVarMap: the link variables of the Services the pod sees. */
function serviceEnvForPod(pod: Pod, services: KubeObject[]): Map<string, string> {
  const namespace = pod.metadata.namespace ?? '';
  const enableServiceLinks = pod.spec?.enableServiceLinks ?? true;
  return new Map(
    Object.entries(serviceEnvVars(servicesForPod(services, namespace, enableServiceLinks))),
  );
}

async function addEnvFrom(
  env: Map<string, string>,
  from: EnvFromSource,
  ctx: Resolution,
  options: MakeEnvironmentOptions,
): Promise<void> {
  const ref = from.configMapRef ?? from.secretRef;
  if (!ref) {
    return;
  }
  const kind: RefKind = from.configMapRef ? 'configMap' : 'secret';
  const data = await ctx.refs.data(kind, ref.name ?? '', ref.optional === true);
  if (data === undefined) {
    return;
  }
  const invalid: string[] = [];
  for (const [key, value] of data) {
    const name = (from.prefix ?? '') + key;
    // Since RelaxedEnvironmentVariableValidation the kubelet checks nothing here; only names the
    // API server itself refuses (empty, '=', not printable ASCII) are left out.
    if (isRelaxedEnvVarName(name).length > 0) {
      invalid.push(name);
    } else {
      env.set(name, value);
    }
  }
  if (invalid.length > 0) {
    options.onInvalidKeys?.(invalidKeys(kind, ctx.refs.namespace, ref.name ?? '', invalid));
  }
}

function invalidKeys(
  kind: RefKind,
  namespace: string,
  name: string,
  keys: string[],
): InvalidEnvKeys {
  const sorted = [...keys].sort();
  const message = `Keys [${sorted.join(', ')}] from the EnvFrom ${kind} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`;
  return { kind, namespace, name, keys: sorted, message };
}

/** The value of one env entry; undefined when an optional source is missing (not set at all). */
async function envVarValue(
  envVar: EnvVar,
  mapping: Mapping,
  ctx: Resolution,
): Promise<string | undefined> {
  if (envVar.value) {
    return expand(envVar.value, mapping);
  }
  const from = envVar.valueFrom;
  if (from?.fieldRef) {
    return podFieldRefValue(from.fieldRef, ctx.pod, ctx.fieldCtx);
  }
  if (from?.resourceFieldRef) {
    const { pod, container, sources } = ctx;
    return resourceFieldRefValue(from.resourceFieldRef, pod, container, sources.nodeAllocatable);
  }
  const keyRef = from?.configMapKeyRef ?? from?.secretKeyRef;
  if (keyRef) {
    const kind: RefKind = from?.configMapKeyRef ? 'configMap' : 'secret';
    return ctx.refs.key(kind, keyRef);
  }
  return '';
}
