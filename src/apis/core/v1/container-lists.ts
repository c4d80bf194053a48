// The container lists of a PodSpec (validateContainers, validateInitContainers): unique names
// across both lists, host port conflicts, and what init containers may and may not set.
import type { FieldError } from '../../../lib/errors.js';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { goRepr, goStruct } from '../../validation/go-format.js';
import {
  type ContainerContext,
  validateContainerCommon,
  validateProbesAndLifecycle,
} from './container-validation.js';
import type { Container, PodSpec } from './types.js';

function checkHostPortConflicts(containers: Container[], path: string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) {
        return;
      }
      const k = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(k)) {
        errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      }
      seen.add(k);
    });
  });
  return errs;
}

/** validateContainers: at least one, names unique, probes valid, no restartPolicy. */
export function validateContainers(
  spec: PodSpec,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  const containers = spec.containers ?? [];
  if (containers.length === 0) {
    return [required(path)];
  }
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name ?? '')) {
      errs.push(duplicate(child(p, 'name'), c.name ?? ''));
    }
    names.add(c.name ?? '');
    errs.push(...validateProbesAndLifecycle(c, ctx.gracePeriod, p));
    if (c.restartPolicy !== undefined) {
      errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

const INIT_ONLY = 'may not be set for init containers without restartPolicy=Always';

function goResizePolicies(list: NonNullable<Container['resizePolicy']>): unknown {
  const items = list.map(
    (r) =>
      goStruct('core.ContainerResizePolicy', [
        ['ResourceName', r.resourceName ?? ''],
        ['RestartPolicy', r.restartPolicy ?? ''],
      ]).text,
  );
  return goRepr(`[]core.ContainerResizePolicy{${items.join(', ')}}`);
}

// Probes and hooks are for sidecars (restartPolicy Always) only.
function validateInitOnlyFields(c: Container, ctx: ContainerContext, p: string): FieldError[] {
  if (c.restartPolicy === 'Always') {
    return validateProbesAndLifecycle(c, ctx.gracePeriod, p);
  }
  const fields = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;
  return fields.filter((f) => c[f] != null).map((f) => forbidden(child(p, f), INIT_ONLY));
}

/** validateInitContainers: init-only rules; restartPolicy Always makes a sidecar. */
export function validateInitContainers(
  spec: PodSpec,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((spec.containers ?? []).map((c) => c.name ?? ''));
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errs.push(notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    }
    if (names.has(c.name ?? '')) {
      errs.push(duplicate(child(p, 'name'), c.name ?? ''));
    } else if (c.name) {
      names.add(c.name);
    }
    errs.push(...checkHostPortConflicts([c], path));
    errs.push(...validateInitOnlyFields(c, ctx, p));
    if (c.resizePolicy?.length) {
      errs.push(
        invalid(
          child(p, 'resizePolicy'),
          goResizePolicies(c.resizePolicy),
          'must not be set for init containers',
        ),
      );
    }
  });
  return errs;
}
