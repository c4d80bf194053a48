// Table printers for core/v1 events and events.k8s.io/v1 events: LAST SEEN, TYPE, REASON, OBJECT,
// MESSAGE, with SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME as wide columns (no leading NAME).
import type { KubeObject } from '../../apis/meta.js';
import { parseTime, translateTimestampSince } from './duration.js';
import { column, printer, wideColumn } from './common.js';

/** The fields the printer reads, named as in core/v1 Event. */
interface CoreEvent {
  name: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: string } | null;
  reportingController?: string;
  reportingInstance?: string;
}

function fromCoreV1(obj: KubeObject): CoreEvent {
  const e = obj as KubeObject & Omit<CoreEvent, 'name'> & { reportingComponent?: string };
  // core/v1 serialises ReportingController as "reportingComponent".
  return { ...e, name: obj.metadata.name ?? '', reportingController: e.reportingComponent };
}

interface EventsV1 extends KubeObject {
  regarding?: CoreEvent['involvedObject'];
  note?: string;
  reason?: string;
  type?: string;
  eventTime?: string;
  series?: CoreEvent['series'];
  reportingController?: string;
  reportingInstance?: string;
  deprecatedSource?: CoreEvent['source'];
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  deprecatedCount?: number;
}

/** Maps an events.k8s.io/v1 Event onto core/v1 field names, as the API server's conversion does. */
function fromEventsV1(obj: KubeObject): CoreEvent {
  const e = obj as EventsV1;
  return {
    name: e.metadata.name ?? '',
    involvedObject: e.regarding,
    reason: e.reason,
    message: e.note,
    type: e.type,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: e.deprecatedCount,
    series: e.series,
    reportingController: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

/** SOURCE cell: `component, host`, falling back to reportingController / reportingInstance. */
function eventSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingController || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** LAST SEEN, FIRST SEEN and COUNT, preferring series data from the new events API. */
function eventTimes(e: CoreEvent, now: Date): { last: string; first: string; count: number } {
  const first = translateTimestampSince(
    parseTime(e.firstTimestamp) !== undefined ? e.firstTimestamp : e.eventTime,
    now,
  );
  if (e.series) {
    return {
      last: translateTimestampSince(e.series.lastObservedTime, now),
      first,
      count: e.series.count ?? 0,
    };
  }
  const last =
    parseTime(e.lastTimestamp) !== undefined
      ? translateTimestampSince(e.lastTimestamp, now)
      : first;
  // Singleton events from the new events API carry no count.
  return { last, first, count: e.count || 1 };
}

function eventCells(e: CoreEvent, now: Date): unknown[] {
  const { last, first, count } = eventTimes(e, now);
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
  return [
    last,
    e.type ?? '',
    e.reason ?? '',
    target,
    e.involvedObject?.fieldPath ?? '',
    eventSource(e),
    (e.message ?? '').trim(),
    first,
    count,
    e.name,
  ];
}

function eventColumns(): ReturnType<typeof column>[] {
  return [
    column('Last Seen', 'string', 'Time since the event was last seen.'),
    column('Type', 'string', 'Type of the event (Normal, Warning).'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about, as kind/name.'),
    wideColumn('Subobject', 'string', 'Part of the object the event is about.'),
    wideColumn('Source', 'string', 'Component that reported the event.'),
    column('Message', 'string', 'Human-readable description of the event.'),
    wideColumn('First Seen', 'string', 'Time since the event was first seen.'),
    wideColumn('Count', 'string', 'Number of times the event occurred.'),
    { ...wideColumn('Name', 'string', 'Name of the event object.'), format: 'name' },
  ];
}

/** Printer for core/v1 `events`. */
export const eventPrinter = printer(eventColumns(), (obj, now) => eventCells(fromCoreV1(obj), now));

/** Printer for `events.events.k8s.io`; same columns, fed the events.k8s.io/v1 shape. */
export const eventsV1Printer = printer(eventColumns(), (obj, now) =>
  eventCells(fromEventsV1(obj), now),
);
