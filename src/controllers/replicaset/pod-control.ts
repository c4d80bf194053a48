// Creating, deleting and patching a ReplicaSet's pods with the events upstream records
// (controller_utils.go RealPodControl, GetPodFromTemplate).
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { PODS } from '../../client/resources.js';
import { ApiError, isNotFound } from '../../lib/errors.js';

export const FIELD_MANAGER = 'kube-controller-manager';
const MAX_NAME_LENGTH = 253;

/** `<rs>-`, or the bare name when the dash would make the prefix too long (getPodsPrefix). */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return prefix.length > MAX_NAME_LENGTH ? controllerName : prefix;
}

/** The pod a template describes, owned by controllerRef (GetPodFromTemplate). */
export function podFromTemplate(rs: ReplicaSet, controllerRef: OwnerReference): KubeObject {
  const template = rs.spec?.template ?? {};
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(rs.metadata.name ?? ''),
      namespace: rs.metadata.namespace,
      labels: { ...meta.labels },
      ...(meta.annotations && Object.keys(meta.annotations).length > 0
        ? { annotations: { ...meta.annotations } }
        : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

/** Whether err says the namespace is being deleted (no pod can be created there). */
export function isNamespaceTerminating(err: unknown): boolean {
  if (!(err instanceof ApiError)) {
    return false;
  }
  return (
    err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') === true ||
    (err.reason === 'Forbidden' && err.message.includes('because it is being terminated'))
  );
}

export class PodControl {
  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
  ) {}

  /** Creates one pod from rs's template; records SuccessfulCreate or FailedCreate on rs. */
  async createPod(rs: ReplicaSet, controllerRef: OwnerReference): Promise<void> {
    const pod = podFromTemplate(rs, controllerRef);
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) {
      throw new Error('unable to create pods, no labels');
    }
    let created: KubeObject;
    try {
      created = await this.client.create(PODS, pod, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      // Upstream stays quiet while the namespace is going away.
      if (!isNamespaceTerminating(err)) {
        this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
      }
      throw err;
    }
    this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  }

  /** Deletes a pod; NotFound is rethrown unrecorded, other errors record FailedDelete. */
  async deletePod(rs: ReplicaSet, namespace: string, name: string): Promise<void> {
    try {
      await this.client.delete(PODS, namespace, name);
    } catch (err) {
      if (isNotFound(err)) {
        throw err;
      }
      this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
      throw new Error(`unable to delete pods: ${message(err)}`, { cause: err });
    }
    this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** A strategic merge patch of pod metadata (adoption and release). */
  async patchPod(namespace: string, name: string, patch: object): Promise<void> {
    await this.client.patch(PODS, namespace, name, 'strategic', patch, {
      fieldManager: FIELD_MANAGER,
    });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
