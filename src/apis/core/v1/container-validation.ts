// Container-level validation (pkg/apis/core/validation: validateContainerCommon and friends):
// names, image, ports, env, mounts, pull policy and resources (probes live in probe-validation).
import type { FieldError } from '../../../lib/errors.js';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  notFound,
  notSupported,
  required,
} from '../../validation/field-error.js';
import {
  isDNS1123Label,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  isValidGroupID,
} from '../../validation/validators.js';
import { validateEnv, validateEnvFrom } from './env-validation.js';
import { validateResourceRequirements } from './resources-validation.js';
import type { Container, SecurityContext } from './types.js';

export { validatePortNumOrName, validateProbesAndLifecycle } from './probe-validation.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Context shared by all containers of one pod spec. */
export interface ContainerContext {
  volumes: Set<string>;
  gracePeriod: number | undefined;
  restartPolicy: string | undefined;
}

/** `validateDNS1123Label` at a path: one error per problem. */
export function validateDNSLabel(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(path, value, m));
}

function validateContainerPorts(ports: Container['ports'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) {
        errs.push(...msgs.map((m) => invalid(child(p, 'name'), port.name, m)));
      } else if (names.has(port.name)) {
        errs.push(duplicate(child(p, 'name'), port.name));
      } else {
        names.add(port.name);
      }
    }
    if (!port.containerPort) {
      errs.push(required(child(p, 'containerPort')));
    } else {
      errs.push(
        ...isValidPortNum(port.containerPort).map((m) =>
          invalid(child(p, 'containerPort'), port.containerPort, m),
        ),
      );
    }
    if (port.hostPort) {
      errs.push(
        ...isValidPortNum(port.hostPort).map((m) =>
          invalid(child(p, 'hostPort'), port.hostPort, m),
        ),
      );
    }
    if (!port.protocol) {
      errs.push(required(child(p, 'protocol')));
    } else if (!PROTOCOLS.includes(port.protocol)) {
      errs.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
    }
  });
  return errs;
}

type Mount = NonNullable<Container['volumeMounts']>[number];

// Upstream reports sub-path problems at the list path, without the index.
function validateSubPaths(m: Mount, p: string, listPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (m.subPath) {
    errs.push(...validateLocalDescendingPath(m.subPath, child(listPath, 'subPath')));
  }
  if (m.subPathExpr) {
    if (m.subPath) {
      const msg = 'subPathExpr and subPath are mutually exclusive';
      errs.push(invalid(child(p, 'subPathExpr'), m.subPathExpr, msg));
    }
    errs.push(...validateLocalDescendingPath(m.subPathExpr, child(listPath, 'subPathExpr')));
  }
  return errs;
}

function validatePropagation(c: Container, m: Mount, listPath: string): FieldError[] {
  const propagation = m.mountPropagation;
  const path = child(listPath, 'mountPropagation');
  const supported = ['Bidirectional', 'HostToContainer', 'None'];
  if (propagation === undefined) {
    return [];
  }
  if (!supported.includes(propagation)) {
    return [notSupported(path, propagation, supported)];
  }
  if (propagation === 'Bidirectional' && c.securityContext?.privileged !== true) {
    return [
      forbidden(path, 'Bidirectional mount propagation is available only to privileged containers'),
    ];
  }
  return [];
}

function validateVolumeMounts(c: Container, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = index(path, i);
    const name = m.name ?? '';
    const mountPath = m.mountPath ?? '';
    if (!name) {
      errs.push(required(child(p, 'name')));
    }
    if (!volumes.has(name)) {
      errs.push(notFound(child(p, 'name'), name));
    }
    if (!mountPath) {
      errs.push(required(child(p, 'mountPath')));
    }
    if (mountPoints.has(mountPath)) {
      errs.push(invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    }
    mountPoints.add(mountPath);
    errs.push(...validateSubPaths(m, p, path), ...validatePropagation(c, m, path));
  });
  return errs;
}

/** A relative path without `..` elements. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) {
    errs.push(invalid(path, target, 'must be a relative path'));
  }
  if (target.split('/').includes('..')) {
    errs.push(invalid(path, target, "must not contain '..'"));
  }
  return errs;
}

function validatePullPolicy(policy: string | undefined, path: string): FieldError[] {
  const supported = ['Always', 'IfNotPresent', 'Never'];
  if (!policy) {
    return [required(path)];
  }
  return supported.includes(policy) ? [] : [notSupported(path, policy, supported)];
}

/** The numeric parts of a container securityContext that upstream checks. */
export function validateSecurityContextIds(
  sc: SecurityContext | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof sc?.runAsUser === 'number') {
    errs.push(
      ...isValidUserID(sc.runAsUser).map((m) => invalid(child(path, 'runAsUser'), sc.runAsUser, m)),
    );
  }
  if (typeof sc?.runAsGroup === 'number') {
    errs.push(
      ...isValidGroupID(sc.runAsGroup).map((m) =>
        invalid(child(path, 'runAsGroup'), sc.runAsGroup, m),
      ),
    );
  }
  return errs;
}

function validateResizePolicy(
  c: Container,
  restartPolicy: string | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (c.resizePolicy ?? []).forEach((p, i) => {
    const name = p.resourceName ?? '';
    if (seen.has(name)) {
      errs.push(duplicate(index(path, i), name));
    }
    seen.add(name);
    if (!name) {
      errs.push(required(path));
    } else if (name !== 'cpu' && name !== 'memory') {
      errs.push(notSupported(path, name, ['cpu', 'memory']));
    }
    const policy = p.restartPolicy ?? '';
    if (!policy) {
      errs.push(required(path));
    } else if (policy !== 'NotRequired' && policy !== 'RestartContainer') {
      errs.push(notSupported(path, policy, ['NotRequired', 'RestartContainer']));
    }
    if (restartPolicy === 'Never' && policy !== 'NotRequired') {
      errs.push(invalid(path, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

/** validateContainerCommon: what every container (regular or init) must satisfy. */
export function validateContainerCommon(
  c: Container,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  errs.push(...(c.name ? validateDNSLabel(c.name, namePath) : [required(namePath)]));
  if (!c.image) {
    errs.push(required(child(path, 'image')));
  }
  const tmp = c.terminationMessagePolicy;
  if (!tmp) {
    errs.push(required(child(path, 'terminationMessagePolicy')));
  } else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(
      notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']),
    );
  }
  errs.push(...validateContainerPorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c, ctx.volumes, child(path, 'volumeMounts')));
  errs.push(...validatePullPolicy(c.imagePullPolicy, child(path, 'imagePullPolicy')));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources')));
  errs.push(...validateResizePolicy(c, ctx.restartPolicy, child(path, 'resizePolicy')));
  errs.push(...validateSecurityContextIds(c.securityContext, child(path, 'securityContext')));
  return errs;
}
