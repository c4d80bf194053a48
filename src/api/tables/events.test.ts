import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { eventPrinter, eventsV1Printer } from './events.js';

type Json = Record<string, unknown>;
const now = new Date('2025-01-10T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();
const meta = { name: 'web-1.181a2b3c', namespace: 'default', creationTimestamp: ago(600) };

const core = (fields: Json): KubeObject => ({
  metadata: meta,
  involvedObject: {
    kind: 'Pod',
    name: 'web-1',
    namespace: 'default',
    fieldPath: 'spec.containers{app}',
  },
  reason: 'Started',
  message: 'Started container app\n',
  type: 'Normal',
  ...fields,
});

describe('core/v1 event printer', () => {
  it.each<[string, KubeObject, unknown[]]>([
    [
      'classic kubelet event',
      core({
        source: { component: 'kubelet', host: 'node1' },
        firstTimestamp: ago(300),
        lastTimestamp: ago(5),
        count: 3,
      }),
      [
        '5s',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        'kubelet, node1',
        'Started container app',
        '5m',
        3,
        'web-1.181a2b3c',
      ],
    ],
    [
      'no host',
      core({
        source: { component: 'deployment-controller' },
        firstTimestamp: ago(10),
        lastTimestamp: ago(10),
        count: 1,
      }),
      [
        '10s',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        'deployment-controller',
        'Started container app',
        '10s',
        1,
        'web-1.181a2b3c',
      ],
    ],
    [
      'no lastTimestamp uses first',
      core({ firstTimestamp: ago(20) }),
      [
        '20s',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        '',
        'Started container app',
        '20s',
        1,
        'web-1.181a2b3c',
      ],
    ],
    [
      'eventTime only, reporting controller',
      core({
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: '2025-01-10T11:59:30.123456Z',
        reportingComponent: 'kubeproc-scheduler',
        reportingInstance: 'kubeproc-scheduler-node1',
      }),
      [
        '29s',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        'kubeproc-scheduler, kubeproc-scheduler-node1',
        'Started container app',
        '29s',
        1,
        'web-1.181a2b3c',
      ],
    ],
    [
      'series overrides last seen and count',
      core({
        eventTime: ago(3600),
        series: { count: 7, lastObservedTime: '2025-01-10T11:58:00.000000Z' },
      }),
      [
        '2m',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        '',
        'Started container app',
        '60m',
        7,
        'web-1.181a2b3c',
      ],
    ],
    [
      'no timestamps at all',
      core({}),
      [
        '<unknown>',
        'Normal',
        'Started',
        'pod/web-1',
        'spec.containers{app}',
        '',
        'Started container app',
        '<unknown>',
        1,
        'web-1.181a2b3c',
      ],
    ],
    [
      'object without name',
      core({
        involvedObject: { kind: 'Node' },
        lastTimestamp: ago(1),
        firstTimestamp: ago(1),
        count: 2,
      }),
      [
        '1s',
        'Normal',
        'Started',
        'node',
        '',
        '',
        'Started container app',
        '1s',
        2,
        'web-1.181a2b3c',
      ],
    ],
    [
      'warning for a deployment',
      core({
        type: 'Warning',
        reason: 'FailedCreate',
        involvedObject: { kind: 'ReplicaSet', name: 'web-8f8h8ks755' },
        firstTimestamp: ago(130),
        lastTimestamp: ago(130),
        count: 1,
      }),
      [
        '2m10s',
        'Warning',
        'FailedCreate',
        'replicaset/web-8f8h8ks755',
        '',
        '',
        'Started container app',
        '2m10s',
        1,
        'web-1.181a2b3c',
      ],
    ],
  ])('%s', (_name, e, want) => {
    expect(eventPrinter.cells(e, now)).toEqual(want);
  });

  it('has LAST SEEN first and no leading Name column', () => {
    expect(eventPrinter.columns.map((c) => `${c.name}:${c.priority}:${c.format}`)).toEqual([
      'Last Seen:0:',
      'Type:0:',
      'Reason:0:',
      'Object:0:',
      'Subobject:1:',
      'Source:1:',
      'Message:0:',
      'First Seen:1:',
      'Count:1:',
      'Name:1:name',
    ]);
  });
});

describe('events.k8s.io/v1 event printer', () => {
  const v1 = (fields: Json): KubeObject => ({
    metadata: meta,
    regarding: { kind: 'Deployment', name: 'web' },
    reason: 'ScalingReplicaSet',
    note: 'Scaled up replica set web-8f8h8ks755 to 3',
    type: 'Normal',
    action: 'Scale',
    reportingController: 'deployment-controller',
    reportingInstance: 'kubeproc',
    ...fields,
  });

  it.each<[string, KubeObject, unknown[]]>([
    [
      'new-style singleton',
      v1({ eventTime: '2025-01-10T11:59:50.000000Z' }),
      [
        '10s',
        'Normal',
        'ScalingReplicaSet',
        'deployment/web',
        '',
        'deployment-controller, kubeproc',
        'Scaled up replica set web-8f8h8ks755 to 3',
        '10s',
        1,
        'web-1.181a2b3c',
      ],
    ],
    [
      'series',
      v1({
        eventTime: ago(600),
        series: { count: 4, lastObservedTime: '2025-01-10T11:59:00.000000Z' },
      }),
      [
        '60s',
        'Normal',
        'ScalingReplicaSet',
        'deployment/web',
        '',
        'deployment-controller, kubeproc',
        'Scaled up replica set web-8f8h8ks755 to 3',
        '10m',
        4,
        'web-1.181a2b3c',
      ],
    ],
    [
      'deprecated fields from a core/v1 writer',
      v1({
        deprecatedSource: { component: 'kubelet', host: 'node1' },
        deprecatedFirstTimestamp: ago(300),
        deprecatedLastTimestamp: ago(30),
        deprecatedCount: 5,
        regarding: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
      }),
      [
        '30s',
        'Normal',
        'ScalingReplicaSet',
        'pod/web-1',
        'spec.containers{app}',
        'kubelet, node1',
        'Scaled up replica set web-8f8h8ks755 to 3',
        '5m',
        5,
        'web-1.181a2b3c',
      ],
    ],
  ])('%s', (_name, e, want) => {
    expect(eventsV1Printer.cells(e, now)).toEqual(want);
  });

  it('uses the core event columns', () => {
    expect(eventsV1Printer.columns).toEqual(eventPrinter.columns);
  });
});
