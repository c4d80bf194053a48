// The pods/binding subresource: assigns a pending pod to a node, once (the scheduler's write).
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest, conflict } from '../../lib/errors.js';
import type { Scope, WriteOptions } from './context.js';
import type { ResourceService } from './resource-service.js';

/** Binds pod `name` to the node `binding.target` names; 409 if it is already bound or deleting. */
export function bindPod(
  svc: ResourceService,
  scope: Scope,
  name: string,
  binding: KubeObject,
  opts: WriteOptions,
): void {
  const target = (binding.target ?? {}) as { kind?: string; name?: string };
  if (!target.name) {
    throw new ApiError(
      422,
      'Invalid',
      `Binding "${name}" is invalid: target.name: Required value`,
      {
        name,
        kind: 'Binding',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }],
      },
    );
  }
  if (target.kind && target.kind !== 'Node') {
    throw badRequest(`the binding target must be a Node, got ${target.kind}`);
  }
  const pod = svc.getStored(scope, name);
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const pods = { group: '', resource: 'pods' };
  if (pod.metadata.deletionTimestamp) {
    throw conflict(pods, name, 'pod is being deleted, cannot be assigned to a host');
  }
  if (spec.nodeName) {
    throw conflict(pods, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  }
  const next: KubeObject = structuredClone(pod);
  next.spec = { ...(next.spec as object), nodeName: target.name };
  svc.replaceStored(scope, pod, next, { ...opts, subresource: 'binding' });
}
