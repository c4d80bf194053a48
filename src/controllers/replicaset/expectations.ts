// ControllerExpectations: the creates and deletes a controller has in flight per key, so a sync
// never acts again before the informer has seen the results of its last one (upstream
// controller_utils.go ControllerExpectations + UIDTrackingControllerExpectations).
import type { Clock } from '../../lib/clock.js';

/** Expectations this old are ignored: a dropped watch event must not stall a controller. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** When the expectations were set (ms since epoch). */
  timestampMs: number;
  /** Keys (`namespace/name`) of the pods whose deletion is awaited. */
  deleteKeys: Set<string>;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** The outstanding adds and deletes of controllerKey, if any were recorded. */
  get(controllerKey: string): { add: number; del: number } | undefined {
    const exp = this.byKey.get(controllerKey);
    return exp && { add: exp.add, del: exp.del };
  }

  /**
   * Whether controllerKey may act: true when it never set expectations, saw them all, or they
   * expired; false while creates or deletes it made are still unobserved.
   */
  satisfiedExpectations(controllerKey: string): boolean {
    const exp = this.byKey.get(controllerKey);
    if (!exp) {
      return true;
    }
    if (exp.add <= 0 && exp.del <= 0) {
      return true;
    }
    return this.clock.now().getTime() - exp.timestampMs > EXPECTATIONS_TIMEOUT_MS;
  }

  /** Records that `adds` pods are about to be created; forgets earlier expectations. */
  expectCreations(controllerKey: string, adds: number): void {
    this.set(controllerKey, adds, []);
  }

  /** Records the pods about to be deleted; forgets earlier expectations. */
  expectDeletions(controllerKey: string, podKeys: string[]): void {
    this.set(controllerKey, 0, podKeys);
  }

  /** One expected creation was seen (or will never happen). */
  creationObserved(controllerKey: string): void {
    this.lower(controllerKey, 1, 0);
  }

  /**
   * The deletion of podKey was seen (or will never happen). Counted once per pod, whether it is
   * seen as a deletionTimestamp update or as the final delete.
   */
  deletionObserved(controllerKey: string, podKey: string): void {
    const exp = this.byKey.get(controllerKey);
    if (exp?.deleteKeys.delete(podKey)) {
      exp.del--;
    }
  }

  /** Forgets controllerKey (its object was deleted, or a new one with the name must start clean). */
  deleteExpectations(controllerKey: string): void {
    this.byKey.delete(controllerKey);
  }

  /** Decrements the counts of controllerKey, if it has expectations. */
  lower(controllerKey: string, add: number, del: number): void {
    const exp = this.byKey.get(controllerKey);
    if (exp) {
      exp.add -= add;
      exp.del -= del;
    }
  }

  private set(controllerKey: string, add: number, deleteKeys: string[]): void {
    const keys = new Set(deleteKeys);
    this.byKey.set(controllerKey, {
      add,
      del: keys.size,
      timestampMs: this.clock.now().getTime(),
      deleteKeys: keys,
    });
  }
}
