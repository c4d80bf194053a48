import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { legacyValidateEvent } from './validation.js';
import { eventsStrategies } from './strategies.js';
import { eventsV1Versions } from './versions.js';

const [v1] = eventsV1Versions;
const strategy = eventsStrategies.Event!;
const toCore = (o: KubeObject) => v1!.toStorage!(o);
const fromCore = (o: KubeObject) => v1!.fromStorage!(o);

const pod = { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1' };

const newEvent: KubeObject = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web-1.17a', namespace: 'default' },
  eventTime: '2024-05-01T10:00:00.123456Z',
  series: { count: 3, lastObservedTime: '2024-05-01T10:05:00.000000Z' },
  reportingController: 'kubeproc.io/node-agent',
  reportingInstance: 'node1',
  action: 'Pulling',
  reason: 'Pulling',
  regarding: pod,
  related: { kind: 'Node', name: 'node1' },
  note: 'Pulling image "web"',
  type: 'Normal',
};

const coreForm = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17a', namespace: 'default' },
  involvedObject: pod,
  reason: 'Pulling',
  message: 'Pulling image "web"',
  source: {},
  firstTimestamp: null,
  lastTimestamp: null,
  type: 'Normal',
  eventTime: '2024-05-01T10:00:00.123456Z',
  series: { count: 3, lastObservedTime: '2024-05-01T10:05:00.000000Z' },
  action: 'Pulling',
  related: { kind: 'Node', name: 'node1' },
  reportingComponent: 'kubeproc.io/node-agent',
  reportingInstance: 'node1',
};

describe('events.k8s.io/v1 <-> core/v1', () => {
  it('maps note, regarding, reportingController ... onto the core fields', () => {
    expect(toCore(newEvent)).toEqual(coreForm);
  });

  it('round-trips back to the events.k8s.io/v1 form', () => {
    expect(fromCore(toCore(newEvent))).toEqual({
      ...newEvent,
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
  });

  it('serves a legacy core event through events.k8s.io/v1', () => {
    const legacy: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-1.1', namespace: 'default' },
      involvedObject: pod,
      reason: 'Killing',
      message: 'Stopping container web',
      source: { component: 'kubelet', host: 'node1' },
      firstTimestamp: '2024-05-01T10:00:00Z',
      lastTimestamp: '2024-05-01T10:02:00Z',
      count: 4,
      type: 'Normal',
      reportingComponent: '',
      reportingInstance: '',
    };
    expect(fromCore(legacy)).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: legacy.metadata,
      eventTime: null,
      reason: 'Killing',
      regarding: pod,
      note: 'Stopping container web',
      type: 'Normal',
      deprecatedSource: { component: 'kubelet', host: 'node1' },
      deprecatedFirstTimestamp: '2024-05-01T10:00:00Z',
      deprecatedLastTimestamp: '2024-05-01T10:02:00Z',
      deprecatedCount: 4,
    });
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(newEvent);
    toCore(newEvent);
    expect(newEvent).toEqual(copy);
  });
});

const errors = (obj: KubeObject) =>
  (strategy.validate?.(obj) ?? []).map((e) => [e.field, e.detail]);

describe('events.k8s.io/v1 validation', () => {
  it('accepts a complete event, in either shape', () => {
    expect(errors(newEvent)).toEqual([]);
    expect(errors(toCore(newEvent))).toEqual([]);
  });

  it('requires what the events.k8s.io API requires', () => {
    const bare: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      regarding: pod,
      deprecatedSource: { component: 'kubelet' },
      deprecatedCount: 2,
      deprecatedFirstTimestamp: '2024-05-01T10:00:00Z',
      series: { count: 1 },
    };
    expect(errors(bare)).toEqual([
      ['series.count', 'Invalid value: "": should be at least 2'],
      ['series.lastObservedTime', 'Required value'],
      ['eventTime', 'Required value'],
      ['type', 'Invalid value: "": has invalid value: '],
      ['firstTimestamp', 'Invalid value: "": needs to be unset'],
      ['count', 'Invalid value: "": needs to be unset'],
      ['source', 'Invalid value: "": needs to be unset'],
    ]);
  });

  it('applies the legacy rules once eventTime is set', () => {
    const obj = toCore({
      ...newEvent,
      metadata: { name: 'e', namespace: 'team-a' },
      regarding: { kind: 'Node', name: 'node1' },
      reportingController: '',
      reportingInstance: '',
      action: 'x'.repeat(129),
      reason: '',
    });
    const errs = legacyValidateEvent(obj).map((e) => [e.field, e.detail]);
    expect(errs.slice(0, 2)).toEqual([
      ['involvedObject.namespace', 'Invalid value: "": does not match event.namespace'],
      ['reportingController', 'Required value'],
    ]);
    expect(errs[2]).toEqual([
      'reportingController',
      'Invalid value: "": name part must be non-empty',
    ]);
    expect(errs.slice(4)).toEqual([
      ['reportingInstance', 'Required value'],
      ['action', 'Invalid value: "": can have at most 128 characters'],
      ['reason', 'Required value'],
    ]);
  });

  it('keeps the fields of an event immutable on update', () => {
    const old = toCore(newEvent);
    const next = toCore({
      ...newEvent,
      note: 'changed',
      reportingInstance: 'node2',
      regarding: { ...pod, name: 'web-2' },
    });
    expect(strategy.validateUpdate?.(next, old).map((e) => [e.field, e.detail])).toEqual([
      [
        'involvedObject',
        'Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"web-2", UID:"u1", APIVersion:"v1", ResourceVersion:"", FieldPath:""}: field is immutable',
      ],
      ['message', 'Invalid value: "changed": field is immutable'],
      ['reportingInstance', 'Invalid value: "node2": field is immutable'],
    ]);
  });

  it('prints times the way Go does in immutability errors', () => {
    const old = toCore(newEvent);
    const next = toCore({ ...newEvent, eventTime: '2024-05-01T11:00:00.500000Z' });
    expect(strategy.validateUpdate?.(next, old).map((e) => e.detail)).toEqual([
      'Invalid value: 2024-05-01 11:00:00.5 +0000 UTC: field is immutable',
    ]);
  });
});
