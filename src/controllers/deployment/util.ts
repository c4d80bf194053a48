// Pure rollout maths (port of upstream deployment/util/deployment_util.go): surge and
// unavailability fenceposts, replica counting, new-RS sizing, proportional scaling, the
// ordering of replica sets, template matching and the pod-template-hash.
import type { IntOrString, PodTemplateSpec } from '../../apis/core/v1/types.js';
import {
  MAX_REPLICAS_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_INT32,
  POD_TEMPLATE_HASH_LABEL,
  availableReplicas,
  isRollingUpdate,
  nameOf,
  readyReplicas,
  specReplicas,
  statusReplicas,
} from './types.js';
import type { Deployment, ReplicaSet } from './types.js';

/** intstr.GetScaledValueFromIntOrPercent: a count, or a percentage of total rounded up or down. */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    return value;
  }
  const match = /^(-?\d+)%$/.exec(value);
  if (!match) {
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * ResolveFenceposts: surge rounds up, unavailable rounds down, and when both come to zero
 * unavailable becomes 1 so a rollout can always make progress.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  try {
    return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d));
  } catch {
    // Validation rejects malformed values; treat a stored one as "no allowance" as upstream does.
    return { surge: 0, unavailable: 0 };
  }
}

/** The surge a RollingUpdate deployment may use; 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/** The unavailability a RollingUpdate deployment may use, capped at spec.replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) {
    return 0;
  }
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** spec.replicas - maxUnavailable for RollingUpdate; 0 for Recreate. */
export function minAvailable(d: Deployment): number {
  return isRollingUpdate(d) ? specReplicas(d) - maxUnavailable(d) : 0;
}

const sum = (list: (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number): number =>
  list.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

/** Sum of spec.replicas. */
export const replicaCount = (list: (ReplicaSet | undefined)[]): number => sum(list, specReplicas);
/** Sum of status.replicas. */
export const actualReplicaCount = (list: (ReplicaSet | undefined)[]): number =>
  sum(list, statusReplicas);
export const readyReplicaCount = (list: (ReplicaSet | undefined)[]): number =>
  sum(list, readyReplicas);
export const availableReplicaCount = (list: (ReplicaSet | undefined)[]): number =>
  sum(list, availableReplicas);

/** NewRSNewReplicas: how big the new RS may be now without exceeding replicas + maxSurge. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) {
    return specReplicas(d);
  }
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, specReplicas(d), true);
  const current = replicaCount(allRSs);
  const maxTotal = specReplicas(d) + surge;
  if (current >= maxTotal) {
    return specReplicas(newRS);
  }
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** A non-negative int32 annotation, or undefined when absent or malformed. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  if (value === undefined || !/^\d+$/.test(value)) {
    return undefined;
  }
  const n = Number(value);
  return n <= MAX_INT32 ? n : undefined;
}

/** IsSaturated: the RS holds, is meant to hold, and has available all desired replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) {
    return false;
  }
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  const replicas = specReplicas(d);
  return (
    specReplicas(rs) === replicas && desired === replicas && availableReplicas(rs) === replicas
  );
}

// Go's math.Round: halves away from zero.
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** getReplicaSetFraction: this RS's share of a resize, from the max-replicas it was sized for. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) {
    return -specReplicas(rs);
  }
  const maxReplicas = specReplicas(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (!before) {
    // Someone removed or zeroed the annotation: fall back to the deployment's current size.
    before = d.status?.replicas ?? 0;
    if (before === 0) {
      return 0;
    }
  }
  return roundHalfAway((specReplicas(rs) * maxReplicas) / before) - specReplicas(rs);
}

/** GetProportion: the fraction, bounded by what is still left to add (or remove). */
export function proportion(
  rs: ReplicaSet | undefined,
  d: Deployment,
  toAdd: number,
  added: number,
): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) {
    return 0;
  }
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const diff = created(a) - created(b);
  if (diff !== 0) {
    return diff;
  }
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** ReplicaSetsBySizeNewer: largest first; among equals, newest first (who gets scaled up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(b) - specReplicas(a) || byCreation(b, a);

/** ReplicaSetsBySizeOlder: largest first; among equals, oldest first (who gets scaled down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(b) - specReplicas(a) || byCreation(a, b);

/** Replica sets that want pods (spec.replicas > 0). */
export const filterActive = (list: (ReplicaSet | undefined)[]): ReplicaSet[] =>
  list.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);

/** FindActiveOrLatest: the only active RS, else the newest when none is active; else none. */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): ReplicaSet | undefined {
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) {
    return newRS ?? newestFirst[0];
  }
  return active.length === 1 ? active[0] : undefined;
}

/** Drops null, undefined, and empty maps and lists: Go's semantic equality treats them alike. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) {
        out[key] = v;
      }
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value ?? undefined;
}

/** Sorted-key JSON of the normalized value: equal for semantically equal objects. */
export const canonicalJson = (value: unknown): string => JSON.stringify(normalize(value)) ?? '';

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  delete copy.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  return copy;
}

/** EqualIgnoreHash: the templates match apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined) {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

/** FindNewReplicaSet: the oldest RS whose template is the deployment's. */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList]
    .sort(byCreation)
    .find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: every RS but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps each character onto an alphabet without vowels. */
export function safeEncodeString(s: string): string {
  return [...s].map((c) => ALPHANUMS[(c.codePointAt(0) ?? 0) % ALPHANUMS.length]).join('');
}

/** FNV-1a, 32 bits. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * ComputeHash: FNV-32a of the template's canonical JSON, then of collisionCount as 8
 * little-endian bytes when set, printed in decimal and safe-encoded (e.g. `5d9f8c7b6`).
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number) {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
