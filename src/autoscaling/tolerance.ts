// The usage-ratio tolerance band (Kubernetes 1.33+ inclusive form, float64 arithmetic) and the
// per-HPA tolerances: the controller flag, or behavior.scale{Up,Down}.tolerance when gated on.
import type { HorizontalPodAutoscaler, Quantity } from '../apis/autoscaling/types.js';
import { parseQuantity } from '../lib/quantity.js';

/** Scale-down and scale-up tolerances, as fractions (0.1 = 10%). */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

/** Whether a usage ratio is close enough to 1 that no scaling happens (both bounds inclusive). */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1 - t.scaleDown <= usageRatio && usageRatio <= 1 + t.scaleUp;
}

function ruleTolerance(rules: unknown): number | undefined {
  const value = (rules as { tolerance?: Quantity } | undefined)?.tolerance;
  return value == null ? undefined : parseQuantity(String(value)).asApproximateFloat64();
}

/** tolerancesForHpa: the flag value, overridden per direction when configurable tolerance is on. */
export function tolerancesFor(
  hpa: HorizontalPodAutoscaler,
  tolerance: number,
  configurable: boolean,
): Tolerances {
  const t: Tolerances = { scaleDown: tolerance, scaleUp: tolerance };
  const behavior = hpa.spec.behavior;
  if (!behavior || !configurable) {
    return t;
  }
  t.scaleDown = ruleTolerance(behavior.scaleDown) ?? t.scaleDown;
  t.scaleUp = ruleTolerance(behavior.scaleUp) ?? t.scaleUp;
  return t;
}
