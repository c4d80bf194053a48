// Revisions and annotations of a deployment's replica sets (port of upstream
// deployment/util's annotation helpers and sync.go cleanupDeployment): revision numbers, the
// rollback bump to max+1 with revision-history, copied annotations, and history cleanup.
import {
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_INT32,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
  specReplicas,
  statusReplicas,
  type Deployment,
  type ReplicaSet,
} from './types.js';
import { byCreation, maxSurge } from './util.js';

/** revision-history is capped near 100 entries (upstream's 2000 characters). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

/** Annotations a deployment never copies onto its replica sets (or back on rollback). */
export const isSkippedAnnotation = (key: string): boolean => SKIPPED.has(key);

/** The RS revision; 0 when unset, NaN when malformed. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) {
    return 0;
  }
  return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

/** MaxRevision: the highest parseable revision among the replica sets. */
export function maxRevision(list: ReplicaSet[]): number {
  return list.reduce((max, rs) => {
    const v = revisionOf(rs);
    return Number.isNaN(v) ? max : Math.max(max, v);
  }, 0);
}

/** ReplicaSetsByRevision: lowest revision first; creation time breaks ties and bad values. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (Number.isNaN(ra) || Number.isNaN(rb) || ra === rb) {
    return byCreation(a, b);
  }
  return ra - rb;
}

function annotationsOf(obj: { metadata: { annotations?: Record<string, string> } }) {
  return (obj.metadata.annotations ??= {});
}

/** Copies the deployment's annotations (except the skipped ones) onto rs; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const target = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (isSkippedAnnotation(k) || target[k] === v) {
      continue;
    }
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true if either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ] as const) {
    if (a[key] !== value) {
      a[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number) {
  const a = rs.metadata.annotations ?? {};
  return (
    a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max)
  );
}

function appendHistory(history: string | undefined, oldRevision: string, limit: number) {
  if (!history) {
    return oldRevision;
  }
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < entries.length) {
    total -= (entries[start]?.length ?? 0) + 1;
    start++;
  }
  return total <= limit ? [...entries.slice(start), oldRevision].join(',') : history;
}

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the revision to
 * newRevision (keeping the old one in revision-history: this is how a rollback to an old RS
 * shows up), and on creation records desired/max replicas. True if anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  opts: { exists: boolean; historyLimitChars?: number },
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = annotationsOf(rs);
  const oldText = a[REVISION_ANNOTATION];
  const oldRevision = oldText === undefined || oldText === '' ? 0 : revisionOf(rs);
  if (Number.isNaN(oldRevision)) {
    return false;
  }
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const limit = opts.historyLimitChars ?? MAX_REVISION_HISTORY_CHARS;
      a[REVISION_HISTORY_ANNOTATION] = appendHistory(
        a[REVISION_HISTORY_ANNOTATION],
        oldText,
        limit,
      );
    }
  }
  if (!opts.exists) {
    const replicas = specReplicas(d);
    changed = setReplicasAnnotations(rs, replicas, replicas + maxSurge(d)) || changed;
  }
  return changed;
}

/** SetDeploymentRevision: true if the deployment's revision annotation changed. */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  const a = annotationsOf(d);
  if (revision === undefined || a[REVISION_ANNOTATION] === revision) {
    return false;
  }
  a[REVISION_ANNOTATION] = revision;
  return true;
}

/** revisionHistoryLimit is set and not MaxInt32 (which keeps everything). */
export const hasRevisionHistoryLimit = (d: Deployment): boolean =>
  d.spec?.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== MAX_INT32;

/**
 * cleanupDeployment's choice: beyond revisionHistoryLimit, the oldest revisions that are fully
 * scaled down (spec and status 0, status observed) and not already being deleted.
 */
export function replicaSetsToDelete(d: Deployment, oldRSs: ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) {
    return [];
  }
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - (d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) {
    return [];
  }
  return [...alive]
    .sort(byRevision)
    .slice(0, diff)
    .filter(
      (rs) =>
        statusReplicas(rs) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
