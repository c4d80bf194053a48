// How Go prints Event field values inside field errors (`%#v` structs, time.Time's String()),
// for the `field is immutable` messages of events.k8s.io/v1 updates.
import { asRecord, int, str } from '../autoscaling/field.js';
import { goQuote, goRepr, type GoRepr } from '../validation/go-format.js';

const REF_FIELDS: [go: string, json: string][] = [
  ['Kind', 'kind'],
  ['Namespace', 'namespace'],
  ['Name', 'name'],
  ['UID', 'uid'],
  ['APIVersion', 'apiVersion'],
  ['ResourceVersion', 'resourceVersion'],
  ['FieldPath', 'fieldPath'],
];

/** `%#v` of a core.ObjectReference. */
function goObjectReference(value: unknown): GoRepr {
  const r = asRecord(value) ?? {};
  const body = REF_FIELDS.map(([go, json]) => `${go}:${goQuote(str(r[json]))}`).join(', ');
  return goRepr(`core.ObjectReference{${body}}`);
}

/** time.Time.String() of an RFC 3339 timestamp (UTC), e.g. `2024-05-01 10:00:00.5 +0000 UTC`. */
export function goTimeString(value: unknown): GoRepr {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(str(value));
  if (!m) {
    return goRepr(str(value) === '' ? '0001-01-01 00:00:00 +0000 UTC' : str(value));
  }
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return goRepr(`${m[1]} ${m[2]}${fraction ? `.${fraction}` : ''} +0000 UTC`);
}

/** The value ValidateImmutableField prints for an Event field. */
export function goEventValue(field: string, value: unknown): unknown {
  switch (field) {
    case 'involvedObject':
      return goObjectReference(value);
    case 'related':
      return value == null ? null : goObjectReference(value);
    case 'source': {
      const s = asRecord(value) ?? {};
      return goRepr(
        `core.EventSource{Component:${goQuote(str(s.component))}, Host:${goQuote(str(s.host))}}`,
      );
    }
    case 'firstTimestamp':
    case 'lastTimestamp':
    case 'eventTime':
      return goTimeString(value);
    case 'count':
      return int(value);
    default:
      return str(value);
  }
}
