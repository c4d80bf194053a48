// Hand-built bodies for cluster kinds written by controllers and agents rather than kubectl:
// Lease, events.k8s.io Event, Node, EndpointSlice.

import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';
import { goObjectMeta, kubeObject, type Build } from './wire-writer.js';

const meta = goObjectMeta;
const body = kubeObject;
const seconds =
  (s: number): Build =>
  (t) =>
    t.varint(1, s);
const micro =
  (s: number, nanos: number): Build =>
  (t) =>
    t.varint(1, s).varint(2, nanos);
const quantity =
  (q: string): Build =>
  (m) =>
    m.string(1, q);
const T0 = 1767225600; // 2026-01-01T00:00:00Z

describe('hand-built cluster kinds', () => {
  it('coordination.k8s.io/v1 Lease with MicroTimes', () => {
    const got = decodeProtobufObject(
      body('coordination.k8s.io/v1', 'Lease', (l) =>
        l.message(1, meta('node1', 'kube-node-lease')).message(2, (s) =>
          s
            .string(1, 'node1')
            .varint(2, 40)
            .message(3, micro(T0, 5_000))
            .message(4, micro(T0 + 10, 123_456_000))
            .varint(5, 0),
        ),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'node1', namespace: 'kube-node-lease' },
      spec: {
        holderIdentity: 'node1',
        leaseDurationSeconds: 40,
        acquireTime: '2026-01-01T00:00:00.000005Z',
        renewTime: '2026-01-01T00:00:10.123456Z',
        leaseTransitions: 0,
      },
    });
  });

  it('events.k8s.io/v1 Event', () => {
    const got = decodeProtobufObject(
      body('events.k8s.io/v1', 'Event', (e) =>
        e
          .message(1, meta('web.1', 'default'))
          .message(2, micro(T0, 0))
          .message(3, (s) => s.varint(1, 2).message(2, micro(T0 + 1, 0)))
          .string(4, 'kubeproc/deployment-controller')
          .string(5, 'kubeproc-1')
          .string(6, 'Scaling')
          .string(7, 'ScalingReplicaSet')
          .message(8, (r) =>
            r.string(1, 'Deployment').string(2, 'default').string(3, 'web').string(5, 'apps/v1'),
          )
          .string(10, 'Scaled up')
          .string(11, 'Normal')
          .varint(15, 0),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.000000Z' },
      reportingController: 'kubeproc/deployment-controller',
      reportingInstance: 'kubeproc-1',
      action: 'Scaling',
      reason: 'ScalingReplicaSet',
      regarding: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
      note: 'Scaled up',
      type: 'Normal',
    });
  });

  it('v1 Node with spec and basic status', () => {
    const q =
      (k: string, v: string): Build =>
      (e) =>
        e.string(1, k).message(2, quantity(v));
    const got = decodeProtobufObject(
      body('v1', 'Node', (n) =>
        n
          .message(1, meta('node1'))
          .message(2, (s) =>
            s
              .string(1, '10.0.0.0/24')
              .string(7, '10.0.0.0/24')
              .varint(4, true)
              .message(5, (t) =>
                t
                  .string(1, 'dedicated')
                  .string(2, '')
                  .string(3, 'NoSchedule')
                  .message(4, seconds(T0)),
              ),
          )
          .message(3, (s) =>
            s
              .message(1, q('cpu', '4'))
              .message(1, q('memory', '8Gi'))
              .message(2, q('pods', '110'))
              .message(4, (c) =>
                c
                  .string(1, 'Ready')
                  .string(2, 'True')
                  .message(3, seconds(T0))
                  .message(4, seconds(T0))
                  .string(5, 'KubeletReady')
                  .string(6, 'ready'),
              )
              .message(5, (a) => a.string(1, 'InternalIP').string(2, '127.0.0.1'))
              .message(6, (d) => d.message(1, (k) => k.varint(1, 10250)))
              .message(7, (i) =>
                i
                  .string(1, 'mid')
                  .string(2, '')
                  .string(3, '')
                  .string(4, '6.1')
                  .string(5, 'Debian')
                  .string(6, 'node')
                  .string(7, 'v1.32.4')
                  .string(8, '')
                  .string(9, 'linux')
                  .string(10, 'amd64'),
              ),
          ),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1' },
      spec: {
        podCIDR: '10.0.0.0/24',
        podCIDRs: ['10.0.0.0/24'],
        unschedulable: true,
        taints: [{ key: 'dedicated', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' }],
      },
      status: {
        capacity: { cpu: '4', memory: '8Gi' },
        allocatable: { pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: '2026-01-01T00:00:00Z',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            reason: 'KubeletReady',
            message: 'ready',
          },
        ],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: 'mid',
          systemUUID: '',
          bootID: '',
          kernelVersion: '6.1',
          osImage: 'Debian',
          containerRuntimeVersion: 'node',
          kubeletVersion: 'v1.32.4',
          kubeProxyVersion: '',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
  });

  it('discovery.k8s.io/v1 EndpointSlice', () => {
    const got = decodeProtobufObject(
      body('discovery.k8s.io/v1', 'EndpointSlice', (s) =>
        s
          .message(1, meta('web-abc', 'default'))
          .string(4, 'IPv4')
          .message(2, (e) =>
            e
              .string(1, '10.0.0.5')
              .message(2, (c) => c.varint(1, true).varint(2, true).varint(3, false))
              .string(6, 'node1')
              .message(4, (r) =>
                r.string(1, 'Pod').string(2, 'default').string(3, 'web-1').string(4, 'uid-p'),
              ),
          )
          .message(3, (p) => p.string(1, 'http').string(2, 'TCP').varint(3, 8080)),
      ),
    );
    expect(got).toStrictEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.0.0.5'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node1',
          targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'uid-p' },
        },
      ],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
  });
});
