// PodSpec, PodTemplateSpec and Pod validation (ValidatePodSpec, ValidatePodTemplateSpec,
// ValidatePodCreate), in upstream's order so multi-error messages list causes the same way.
import type { FieldError } from '../../../lib/errors.js';
import type { ObjectMeta } from '../../meta.js';
import {
  child,
  forbidden,
  index,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { validateLabels, validateQualifiedName } from '../../validation/labels.js';
import {
  validateAnnotations,
  validateName,
  validateObjectMeta,
} from '../../validation/object-meta.js';
import { inclusiveRangeError, isValidGroupID, isValidUserID } from '../../validation/validators.js';
import { validateContainers, validateInitContainers } from './container-lists.js';
import { type ContainerContext, validateDNSLabel } from './container-validation.js';
import type { Container, Pod, PodSecurityContext, PodSpec, PodTemplateSpec } from './types.js';
import { validateVolumes } from './volume-validation.js';

const MAX_INT32 = 2147483647;

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): host ports must equal container ports. */
  isPod?: boolean;
}

function validateHostNetworkPorts(spec: PodSpec, isPod: boolean, path: string): FieldError[] {
  if (!spec.hostNetwork) {
    return [];
  }
  const errs: FieldError[] = [];
  (spec.containers ?? []).forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      const hp = port.hostPort ?? 0;
      if ((isPod || hp !== 0) && hp !== (port.containerPort ?? 0)) {
        const p = child(
          index(child(index(child(path, 'containers'), ci), 'ports'), pi),
          'hostPort',
        );
        errs.push(invalid(p, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

function validateEnum(value: string | undefined, supported: string[], path: string): FieldError[] {
  if (!value) {
    return [required(path)];
  }
  return supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

function validatePodSecurityContext(
  sc: PodSecurityContext | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const ids: [string, (n: number) => string[]][] = [
    ['fsGroup', isValidGroupID],
    ['runAsUser', isValidUserID],
    ['runAsGroup', isValidGroupID],
  ];
  for (const [f, check] of ids) {
    const v = sc?.[f];
    if (typeof v === 'number') {
      errs.push(...check(v).map((m) => invalid(child(path, f), v, m)));
    }
  }
  (sc?.supplementalGroups ?? []).forEach((g, i) => {
    errs.push(
      ...isValidGroupID(g).map((m) => invalid(index(child(path, 'supplementalGroups'), i), g, m)),
    );
  });
  return errs;
}

function validateSubdomainField(value: string | undefined, path: string): FieldError[] {
  return value ? validateName('dns1123-subdomain', value).map((m) => invalid(path, value, m)) : [];
}

function validateSpecScalars(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateSubdomainField(spec.serviceAccountName, child(path, 'serviceAccountName')));
  errs.push(...validateSubdomainField(spec.nodeName, child(path, 'nodeName')));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(
      invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, MAX_INT32)),
    );
  }
  if (spec.hostname) {
    errs.push(...validateDNSLabel(spec.hostname, child(path, 'hostname')));
  }
  if (spec.subdomain) {
    errs.push(...validateDNSLabel(spec.subdomain, child(path, 'subdomain')));
  }
  errs.push(...validateSubdomainField(spec.priorityClassName, child(path, 'priorityClassName')));
  if (spec.runtimeClassName !== undefined) {
    errs.push(
      ...validateName('dns1123-subdomain', spec.runtimeClassName).map((m) =>
        invalid(child(path, 'runtimeClassName'), spec.runtimeClassName, m),
      ),
    );
  }
  if (spec.preemptionPolicy !== undefined) {
    errs.push(
      ...validateEnum(
        spec.preemptionPolicy,
        ['PreemptLowerPriority', 'Never'],
        child(path, 'preemptionPolicy'),
      ),
    );
  }
  return errs;
}

/** ValidatePodSpec: containers, volumes and the pod-level fields, at `path`. */
export function validatePodSpec(
  spec: PodSpec,
  path: string,
  opts: PodSpecOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds == null) {
    errs.push(required(child(path, 'terminationGracePeriodSeconds')));
  }
  const volumes = validateVolumes(spec.volumes, child(path, 'volumes'));
  errs.push(...volumes.errs);
  const ctx: ContainerContext = {
    volumes: volumes.names,
    gracePeriod: spec.terminationGracePeriodSeconds,
    restartPolicy: spec.restartPolicy,
  };
  errs.push(...validateContainers(spec, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(spec, ctx, child(path, 'initContainers')));
  errs.push(...validateHostNetworkPorts(spec, opts.isPod === true, path));
  errs.push(
    ...validateEnum(
      spec.restartPolicy,
      ['Always', 'OnFailure', 'Never'],
      child(path, 'restartPolicy'),
    ),
  );
  errs.push(
    ...validateEnum(
      spec.dnsPolicy,
      ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
      child(path, 'dnsPolicy'),
    ),
  );
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec.securityContext, child(path, 'securityContext')));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) {
    errs.push(
      required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'),
    );
  } else if (spec.dnsPolicy === 'None' && !spec.dnsConfig?.nameservers?.length) {
    errs.push(
      required(
        child(path, 'dnsConfig', 'nameservers'),
        'must provide at least one DNS nameserver when `dnsPolicy` is None',
      ),
    );
  }
  (spec.readinessGates ?? []).forEach((g, i) => {
    errs.push(
      ...validateQualifiedName(
        g.conditionType ?? '',
        child(index(child(path, 'readinessGates'), i), 'conditionType'),
      ),
    );
  });
  errs.push(...validateSpecScalars(spec, path));
  return errs;
}

/** ValidatePodTemplateSpec: template labels/annotations and its spec; no ephemeral containers. */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: string): FieldError[] {
  const meta: ObjectMeta = template.metadata ?? {};
  const errs = validateLabels(meta.labels, child(path, 'labels'));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpec(template.spec ?? {}, child(path, 'spec')));
  if (template.spec?.ephemeralContainers?.length) {
    errs.push(
      forbidden(
        child(path, 'spec', 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  }
  return errs;
}

function validateImageWhitespace(containers: Container[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((c, i) => {
    const image = c.image ?? '';
    if (image !== image.trim()) {
      errs.push(
        invalid(
          child(index(path, i), 'image'),
          image,
          'must not have leading or trailing whitespace',
        ),
      );
    }
  });
  return errs;
}

/** Pod metadata and spec as validated on create and again on every update. */
export function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const spec = pod.spec ?? {};
  const errs = validateObjectMeta(pod.metadata, {
    namespaced: true,
    nameRule: 'dns1123-subdomain',
  });
  errs.push(...validatePodSpec(spec, 'spec', { isPod: true }));
  errs.push(...validateImageWhitespace(spec.containers, 'spec.containers'));
  errs.push(...validateImageWhitespace(spec.initContainers, 'spec.initContainers'));
  return errs;
}

/** ValidatePodCreate: also no ephemeral containers, and no node before scheduling gates clear. */
export function validatePodCreate(pod: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = pod.spec ?? {};
  if (spec.ephemeralContainers?.length) {
    errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if (spec.nodeName && spec.schedulingGates?.length) {
    errs.push(
      forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'),
    );
  }
  return errs;
}
