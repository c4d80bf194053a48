// Strategy of the coordination.k8s.io group: Lease validation of Kubernetes 1.32
// (pkg/apis/coordination/validation). holderIdentity is free-form upstream and stays unchecked.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { asRecord, str } from '../autoscaling/field.js';
import { forbidden, invalid, notSupported } from '../validation/field-error.js';
import { isQualifiedName } from '../validation/validators.js';

const LEASE_STRATEGIES = ['OldestEmulationVersion'];

export interface LeaseOptions {
  /** The CoordinatedLeaderElection feature gate (alpha, off in 1.32). */
  coordinatedLeaderElection: boolean;
}

/** ValidateCoordinatedLeaseStrategy (upstream nests the field name twice in the path). */
function validateLeaseStrategy(strategy: string, path: string): FieldError[] {
  if (!strategy.includes('/')) {
    return LEASE_STRATEGIES.includes(strategy)
      ? []
      : [notSupported(`${path}.strategy`, strategy, LEASE_STRATEGIES)];
  }
  return isQualifiedName(strategy).map((m) => invalid(`${path}.strategy`, strategy, m));
}

/** ValidateLeaseSpec. */
export function validateLease(obj: KubeObject): FieldError[] {
  const spec = asRecord(obj.spec) ?? {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  if (spec.strategy != null) {
    errs.push(...validateLeaseStrategy(str(spec.strategy), 'spec.strategy'));
  }
  if (str(spec.preferredHolder) !== '' && str(spec.strategy) === '') {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

/** The Lease strategy; with the gate off, strategy and preferredHolder are dropped on write. */
export function leaseStrategy(
  opts: LeaseOptions = { coordinatedLeaderElection: false },
): KindStrategy {
  return {
    default: (obj) => {
      const spec = asRecord(obj.spec);
      if (spec && !opts.coordinatedLeaderElection) {
        delete spec.strategy;
        delete spec.preferredHolder;
      }
    },
    validate: validateLease,
  };
}

/** Strategies of the coordination.k8s.io group, keyed by kind. */
export const coordinationStrategies: Record<string, KindStrategy> = {
  Lease: leaseStrategy(),
};
