// Probe and lifecycle handler validation (validateProbe, validateHandler and the actions):
// exactly one handler, valid ports, non-negative timings, successThreshold 1 where required.
import type { FieldError } from '../../../lib/errors.js';
import { child, forbidden, invalid, notSupported, required } from '../../validation/field-error.js';
import { validateNonnegativeField } from '../../validation/object-meta.js';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from '../../validation/validators.js';
import type { Container, Handler, IntOrString, Probe } from './types.js';

/** An int-or-string port: a number 1-65535 or an IANA port name. */
export function validatePortNumOrName(port: IntOrString | undefined, path: string): FieldError[] {
  if (typeof port === 'string') {
    return isValidPortName(port).map((m) => invalid(path, port, m));
  }
  const n = port ?? 0;
  return isValidPortNum(n).map((m) => invalid(path, n, m));
}

type HandlerType = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

function validateHTTPGet(h: Handler, path: string): FieldError[] {
  const get = h.httpGet ?? {};
  const errs: FieldError[] = get.path ? [] : [required(child(path, 'path'))];
  errs.push(...validatePortNumOrName(get.port, child(path, 'port')));
  if (get.scheme !== 'HTTP' && get.scheme !== 'HTTPS') {
    errs.push(notSupported(child(path, 'scheme'), get.scheme ?? '', ['HTTP', 'HTTPS']));
  }
  for (const header of get.httpHeaders ?? []) {
    const name = header.name ?? '';
    errs.push(...isHTTPHeaderName(name).map((m) => invalid(child(path, 'httpHeaders'), name, m)));
  }
  return errs;
}

// A nil grace period skips the check: the pod's own grace period error says enough.
function validateSleep(h: Handler, grace: number | undefined, path: string): FieldError[] {
  const seconds = h.sleep?.seconds ?? 0;
  if (grace === undefined || (seconds > 0 && seconds <= grace)) {
    return [];
  }
  return [
    invalid(
      path,
      seconds,
      `must be greater than 0 and less than terminationGracePeriodSeconds (${grace})`,
    ),
  ];
}

const HANDLER_BODIES: Record<
  HandlerType,
  (h: Handler, grace: number | undefined, path: string) => FieldError[]
> = {
  exec: (h, _g, path) => (h.exec?.command?.length ? [] : [required(child(path, 'command'))]),
  httpGet: (h, _g, path) => validateHTTPGet(h, path),
  tcpSocket: (h, _g, path) => validatePortNumOrName(h.tcpSocket?.port, child(path, 'port')),
  grpc: (h, _g, path) => validatePortNumOrName(h.grpc?.port ?? 0, child(path, 'port')),
  sleep: validateSleep,
};

/** Exactly one handler type; `allowed` lists the types this kind of handler may use. */
export function validateHandler(
  h: Handler,
  allowed: readonly HandlerType[],
  grace: number | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const type of allowed) {
    if (h[type] == null) {
      continue;
    }
    if (count > 0) {
      errs.push(forbidden(child(path, type), 'may not specify more than 1 handler type'));
    } else {
      count++;
      errs.push(...HANDLER_BODIES[type](h, grace, child(path, type)));
    }
  }
  if (count === 0) {
    errs.push(required(path, 'must specify a handler type'));
  }
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

function validateProbe(
  probe: Probe | undefined,
  kind: 'liveness' | 'readiness' | 'startup',
  grace: number | undefined,
  path: string,
): FieldError[] {
  if (!probe) {
    return [];
  }
  const errs = validateHandler(probe, PROBE_HANDLERS, grace, path);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    errs.push(...validateNonnegativeField(probe[f] ?? 0, child(path, f)));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (tgps !== undefined && tgps <= 0) {
    errs.push(
      invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'),
    );
  }
  if (kind !== 'readiness' && (probe.successThreshold ?? 0) !== 1) {
    errs.push(invalid(child(path, 'successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  }
  if (kind === 'readiness' && tgps !== undefined) {
    errs.push(
      invalid(
        child(path, 'terminationGracePeriodSeconds'),
        tgps,
        'must not be set for readinessProbes',
      ),
    );
  }
  return errs;
}

/** Lifecycle hooks, probes: allowed on regular containers and on restartable init containers. */
export function validateProbesAndLifecycle(
  c: Container,
  grace: number | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (c.lifecycle) {
    for (const hook of ['postStart', 'preStop'] as const) {
      const h = c.lifecycle[hook];
      if (h) {
        errs.push(...validateHandler(h, LIFECYCLE_HANDLERS, grace, child(path, 'lifecycle', hook)));
      }
    }
  }
  errs.push(...validateProbe(c.livenessProbe, 'liveness', grace, child(path, 'livenessProbe')));
  errs.push(...validateProbe(c.readinessProbe, 'readiness', grace, child(path, 'readinessProbe')));
  errs.push(...validateProbe(c.startupProbe, 'startup', grace, child(path, 'startupProbe')));
  return errs;
}
