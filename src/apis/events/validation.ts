// Event validation of Kubernetes 1.32 (pkg/apis/core/validation/events.go) on the core/v1 storage
// form: the legacy rules every Event passes, and the strict ones for events.k8s.io/v1 writes.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import { asRecord, int, str, validateImmutable } from '../autoscaling/field.js';
import { deepEqual } from '../validation/equality.js';
import { invalid, required } from '../validation/field-error.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/validators.js';
import { goEventValue } from './go-values.js';

type Rec = Record<string, unknown>;

const LIMITS: [field: string, max: number, isRequired: boolean][] = [
  ['reportingInstance', 128, true],
  ['action', 128, true],
  ['reason', 128, true],
  ['message', 1024, false],
];

const isZeroTime = (v: unknown): boolean => typeof v !== 'string' || v === '';

function validateReporting(ev: Rec): FieldError[] {
  const errs: FieldError[] = [];
  // core/v1 spells ReportingController "reportingComponent"; upstream's path is the Go name.
  const controller = str(ev.reportingComponent);
  if (controller === '') {
    errs.push(required('reportingController'));
  }
  errs.push(
    ...isQualifiedName(controller).map((m) => invalid('reportingController', controller, m)),
  );
  for (const [field, max, isRequired] of LIMITS) {
    const value = str(ev[field]);
    if (isRequired && value === '') {
      errs.push(required(field));
    }
    if (Buffer.byteLength(value) > max) {
      errs.push(invalid(field, '', `can have at most ${max} characters`));
    }
  }
  return errs;
}

/** legacyValidateEvent: what every Event must pass, whichever API wrote it. */
export function legacyValidateEvent(obj: KubeObject): FieldError[] {
  const ev = obj as Rec & KubeObject;
  const ns = obj.metadata.namespace ?? '';
  const involvedNs = str(asRecord(ev.involvedObject)?.namespace);
  const mismatch = invalid(
    'involvedObject.namespace',
    involvedNs,
    'does not match event.namespace',
  );
  const errs: FieldError[] = [];
  if (isZeroTime(ev.eventTime)) {
    const ok = involvedNs === '' ? ns === '' || ns === 'default' : ns === involvedNs;
    if (!ok) {
      errs.push(mismatch);
    }
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') {
      errs.push(mismatch);
    }
    errs.push(...validateReporting(ev));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => invalid('namespace', ns, m)));
  return errs;
}

function validateSeries(ev: Rec): FieldError[] {
  const series = asRecord(ev.series);
  if (!series) {
    return [];
  }
  const errs: FieldError[] = [];
  if (int(series.count) < 2) {
    errs.push(invalid('series.count', '', 'should be at least 2'));
  }
  if (isZeroTime(series.lastObservedTime)) {
    errs.push(required('series.lastObservedTime'));
  }
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1 (metadata is validated elsewhere). */
export function validateEventsV1Create(obj: KubeObject): FieldError[] {
  const ev = obj as Rec & KubeObject;
  const errs = [...legacyValidateEvent(obj), ...validateSeries(ev)];
  if (isZeroTime(ev.eventTime)) {
    errs.push(required('eventTime'));
  }
  const type = str(ev.type);
  if (type !== 'Normal' && type !== 'Warning') {
    errs.push(invalid('type', '', `has invalid value: ${type}`));
  }
  for (const field of ['firstTimestamp', 'lastTimestamp']) {
    if (!isZeroTime(ev[field])) {
      errs.push(invalid(field, '', 'needs to be unset'));
    }
  }
  if (int(ev.count) !== 0) {
    errs.push(invalid('count', '', 'needs to be unset'));
  }
  const source = asRecord(ev.source) ?? {};
  if (str(source.component) !== '' || str(source.host) !== '') {
    errs.push(invalid('source', '', 'needs to be unset'));
  }
  return errs;
}

// The order upstream checks them in; `reason` really is checked twice.
const IMMUTABLE: [path: string, field: string][] = [
  ['involvedObject', 'involvedObject'],
  ['reason', 'reason'],
  ['message', 'message'],
  ['source', 'source'],
  ['firstTimestamp', 'firstTimestamp'],
  ['lastTimestamp', 'lastTimestamp'],
  ['count', 'count'],
  ['reason', 'reason'],
  ['type', 'type'],
  ['eventTime', 'eventTime'],
  ['action', 'action'],
  ['related', 'related'],
  ['reportingController', 'reportingComponent'],
  ['reportingInstance', 'reportingInstance'],
];

/** The update-only part of ValidateEventUpdate for events.k8s.io/v1 (legacy rules run in validate). */
export function validateEventsV1Update(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = obj as Rec & KubeObject;
  const prev = old as Rec & KubeObject;
  const errs = deepEqual(next.series, prev.series) ? [] : validateSeries(next);
  for (const [path, field] of IMMUTABLE) {
    errs.push(
      ...validateImmutable(path, next[field], prev[field], goEventValue(field, next[field])),
    );
  }
  return errs;
}
