// The served versions of events.events.k8s.io; the objects are stored as core/v1 Events.
import type { VersionInfo } from '../resource-type.js';
import { coreToEventsV1, eventsV1ToCore } from './convert.js';

/** events.k8s.io/v1, converting to and from the core/v1 Event storage form. */
export const eventsV1Versions: VersionInfo[] = [
  { version: 'v1', toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 },
];
