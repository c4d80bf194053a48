// events.k8s.io/v1 Event <-> core/v1 Event (the storage form), field for field as Kubernetes
// 1.32's pkg/apis/events/v1 conversion does, with encoding/json's output for unset fields
// (zero times as null, empty reporting fields as "").
import type { KubeObject } from '../meta.js';
import { asRecord } from '../autoscaling/field.js';

type Rec = Record<string, unknown>;

/** Copies `from[src]` to `to[dst]` when it is set and not empty (Go's omitempty). */
function copy(from: Rec, src: string, to: Rec, dst: string): void {
  const v = from[src];
  if (v !== undefined && v !== null && v !== '' && v !== 0) {
    to[dst] = v;
  }
}

/** events.k8s.io/v1 -> core/v1. */
export function eventsV1ToCore(obj: KubeObject): KubeObject {
  const src = structuredClone(obj) as Rec & KubeObject;
  const out: Rec = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: src.metadata,
    involvedObject: asRecord(src.regarding) ?? {},
  };
  copy(src, 'reason', out, 'reason');
  copy(src, 'note', out, 'message');
  out.source = asRecord(src.deprecatedSource) ?? {};
  out.firstTimestamp = src.deprecatedFirstTimestamp ?? null;
  out.lastTimestamp = src.deprecatedLastTimestamp ?? null;
  copy(src, 'deprecatedCount', out, 'count');
  copy(src, 'type', out, 'type');
  out.eventTime = src.eventTime ?? null;
  copy(src, 'series', out, 'series');
  copy(src, 'action', out, 'action');
  copy(src, 'related', out, 'related');
  out.reportingComponent = src.reportingController ?? '';
  out.reportingInstance = src.reportingInstance ?? '';
  return out as KubeObject;
}

/** core/v1 -> events.k8s.io/v1. */
export function coreToEventsV1(obj: KubeObject): KubeObject {
  const src = structuredClone(obj) as Rec & KubeObject;
  const out: Rec = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: src.metadata,
    eventTime: src.eventTime ?? null,
  };
  copy(src, 'series', out, 'series');
  copy(src, 'reportingComponent', out, 'reportingController');
  copy(src, 'reportingInstance', out, 'reportingInstance');
  copy(src, 'action', out, 'action');
  copy(src, 'reason', out, 'reason');
  out.regarding = asRecord(src.involvedObject) ?? {};
  copy(src, 'related', out, 'related');
  copy(src, 'message', out, 'note');
  copy(src, 'type', out, 'type');
  out.deprecatedSource = asRecord(src.source) ?? {};
  out.deprecatedFirstTimestamp = src.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = src.lastTimestamp ?? null;
  copy(src, 'count', out, 'deprecatedCount');
  return out as KubeObject;
}
