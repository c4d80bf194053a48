// One sync of one deployment: the working copy, the replica sets it owns, and the writes a
// sync makes (status, scaling with its ScalingReplicaSet event), keeping resourceVersions fresh.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import type { EventRecorder, EventType } from '../../client/event-recorder.js';
import type { Lister } from '../../client/informer.js';
import { DEPLOYMENTS, REPLICASETS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './revisions.js';
import { REVISION_ANNOTATION, nameOf, specReplicas } from './types.js';
import type { Deployment, ReplicaSet } from './types.js';
import { maxSurge } from './util.js';

/** The manager name upstream's controllers write as. */
export const FIELD_MANAGER = 'kube-controller-manager';
const WRITE = { fieldManager: FIELD_MANAGER };

export interface SyncDeps {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  replicaSets: Lister;
  pods: Lister;
  log: Logger;
}

export class SyncRun {
  /** Replica sets owned by the deployment; entries are replaced as this sync updates them. */
  rsList: ReplicaSet[] = [];
  private storedRevision: string | undefined;

  /** d is a private copy of the cached deployment; this sync may change it. */
  constructor(
    readonly deps: SyncDeps,
    readonly d: Deployment,
  ) {
    this.storedRevision = d.metadata.annotations?.[REVISION_ANNOTATION];
  }

  get namespace(): string {
    return this.d.metadata.namespace ?? '';
  }

  now(): Date {
    return this.deps.clock.now();
  }

  event(type: EventType, reason: string, message: string): void {
    this.deps.recorder.event(this.d, type, reason, message);
  }

  /** Records that rs was replaced by a newer version of itself. */
  remember(rs: ReplicaSet): ReplicaSet {
    const i = this.rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) {
      this.rsList[i] = rs;
    } else {
      this.rsList.push(rs);
    }
    return rs;
  }

  /**
   * Persists d's revision annotation (a status write keeps metadata) and then d.status, each
   * guarded by resourceVersion so a stale view is retried rather than written.
   */
  async writeStatus(): Promise<void> {
    const { client } = this.deps;
    const d = this.d;
    const revision = d.metadata.annotations?.[REVISION_ANNOTATION];
    if (revision !== undefined && revision !== this.storedRevision) {
      const patch = {
        metadata: {
          resourceVersion: d.metadata.resourceVersion,
          annotations: { [REVISION_ANNOTATION]: revision },
        },
      };
      const patched = await client.patch(
        DEPLOYMENTS,
        this.namespace,
        nameOf(d),
        'merge',
        patch,
        WRITE,
      );
      d.metadata.resourceVersion = patched.metadata.resourceVersion;
      this.storedRevision = revision;
    }
    const written = await client.updateStatus(DEPLOYMENTS, d, WRITE);
    d.metadata.resourceVersion = written.metadata.resourceVersion;
  }

  /** Writes a changed replica set (spec or metadata) and remembers the result. */
  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = (await this.deps.client.update(REPLICASETS, rs, WRITE)) as ReplicaSet;
    return this.remember(updated);
  }

  /**
   * scaleReplicaSet: sets spec.replicas and the desired/max-replicas annotations, and records
   * `Scaled up|down replica set X to N from M` when the size changed.
   */
  async scaleReplicaSet(
    rs: ReplicaSet,
    newScale: number,
    operation: string,
  ): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const isResize = specReplicas(rs) !== newScale;
    if (!isResize && !replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return { scaled: false, rs };
    }
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.updateReplicaSet(copy);
    if (isResize) {
      const msg = `Scaled ${operation} replica set ${nameOf(updated)} to ${newScale} from ${oldScale}`;
      this.event('Normal', 'ScalingReplicaSet', msg);
    }
    return { scaled: isResize, rs: updated };
  }

  /** scaleReplicaSetAndRecordEvent: scales only when the size differs. */
  async scaleTo(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) {
      return { scaled: false, rs };
    }
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** The current version of rs within this sync. */
  latest(rs: ReplicaSet): ReplicaSet {
    return this.rsList.find((x) => x.metadata.uid === rs.metadata.uid) ?? rs;
  }
}
