// Strategy of events.k8s.io Events. It sees the core/v1 storage form (the resource is stored as
// core Events) and applies the strict rules upstream reserves for events.k8s.io/v1 writes.
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { eventsV1ToCore } from './convert.js';
import { validateEventsV1Create, validateEventsV1Update } from './validation.js';

/** The core/v1 form of an Event, whichever of the two shapes it arrives in. */
function asCore(obj: KubeObject): KubeObject {
  const isEventsV1 =
    obj.apiVersion?.startsWith('events.k8s.io/') ??
    ('regarding' in obj || 'note' in obj || 'reportingController' in obj);
  return isEventsV1 ? eventsV1ToCore(obj) : obj;
}

/** Strategies of the events.k8s.io group, keyed by kind. */
export const eventsStrategies: Record<string, KindStrategy> = {
  Event: {
    validate: (obj) => validateEventsV1Create(asCore(obj)),
    validateUpdate: (obj, old) => validateEventsV1Update(asCore(obj), asCore(old)),
  },
};
