// NamespaceLifecycle admission: new namespaced objects need a namespace that exists and is not
// terminating.
import { ApiError, notFound } from '../../lib/errors.js';
import type { AdmissionPlugin } from '../rest/context.js';

/** Namespaces that exist from the start and may never be deleted. */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  handles: (rt) => rt.namespaced,
  admit(req, store) {
    if (req.operation !== 'CREATE') {
      return;
    }
    const ns = req.object.metadata.namespace ?? '';
    const entry = store.get(`/core/namespaces/${ns}`);
    if (!entry) {
      throw notFound({ group: '', resource: 'namespaces' }, ns);
    }
    const isEvent = req.rt.kind === 'Event';
    if (entry.object.metadata.deletionTimestamp && !isEvent) {
      throw new ApiError(
        403,
        'Forbidden',
        `${req.rt.resource}${req.rt.group ? '.' + req.rt.group : ''} "${req.object.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name: req.object.metadata.name ?? '',
          group: req.rt.group,
          kind: req.rt.resource,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${ns} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  },
};
