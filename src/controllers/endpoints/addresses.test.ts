// Table tests of the pure endpoint helpers: ports (named, numbered, host-mapped), pod filters,
// which Services a pod update concerns, and the last-change trigger time.
import { describe, expect, it } from 'vitest';
import type { Pod, Service, ServicePort } from '../../apis/core/v1/types.js';
import {
  canonicalJSON,
  computeTriggerTime,
  findPort,
  formatRFC3339Nano,
  podIPs,
  resolveEndpointPort,
  servicesToUpdateOnPodChange,
  shouldPodBeInEndpoints,
} from './addresses.js';

function pod(extra: Partial<Pod> = {}, status: Record<string, unknown> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' }, resourceVersion: '1' },
    spec: {
      containers: [
        { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] },
        { name: 'd', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] },
      ],
      initContainers: [
        { name: 'side', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] },
        { name: 'init', ports: [{ name: 'setup', containerPort: 9999 }] },
      ],
    },
    status: { phase: 'Running', podIP: '10.0.0.1', ...status },
    ...extra,
  };
}

describe('findPort and the port map', () => {
  it.each<[string, ServicePort, number | undefined]>([
    ['a number', { port: 80, targetPort: 9376 }, 9376],
    ['no targetPort: the port', { port: 80 }, 80],
    ['a container port name', { port: 80, targetPort: 'http' }, 8080],
    ['a name with its protocol', { port: 53, targetPort: 'dns', protocol: 'UDP' }, 53],
    ['a name with another protocol', { port: 53, targetPort: 'dns' }, undefined],
    ['a sidecar port name', { port: 80, targetPort: 'proxy' }, 15001],
    ['an init container port name', { port: 80, targetPort: 'setup' }, undefined],
    ['an unknown name', { port: 80, targetPort: 'nope' }, undefined],
  ])('%s', (_name, svcPort, want) => {
    expect(findPort(pod(), svcPort)).toBe(want);
  });

  it.each<[string, string | undefined, ServicePort, number | undefined]>([
    ['mapped', '{"8080": 41234}', { port: 80, targetPort: 'http' }, 41234],
    ['mapped by number', '{"8080": 41234}', { port: 80, targetPort: 8080 }, 41234],
    ['other ports unmapped', '{"9000": 41234}', { port: 80, targetPort: 8080 }, 8080],
    ['no annotation', undefined, { port: 80, targetPort: 8080 }, 8080],
    ['malformed JSON', '{8080: 1', { port: 80, targetPort: 8080 }, 8080],
    ['a non-number value', '{"8080": "x"}', { port: 80, targetPort: 8080 }, 8080],
    ['unresolved stays unresolved', '{"8080": 1}', { port: 80, targetPort: 'nope' }, undefined],
  ])('resolveEndpointPort: %s', (_name, annotation, svcPort, want) => {
    const p = pod();
    if (annotation !== undefined) {
      p.metadata.annotations = { 'kubeproc.io/port-map': annotation };
    }
    expect(resolveEndpointPort(p, svcPort)).toBe(want);
  });
});

describe('which pods are endpoints', () => {
  it.each<[string, Pod, boolean, boolean]>([
    ['running with an IP', pod(), false, true],
    ['no IP', pod({}, { podIP: undefined }), false, false],
    ['only podIPs', pod({}, { podIP: undefined, podIPs: [{ ip: '10.0.0.2' }] }), false, true],
    ['succeeded', pod({}, { phase: 'Succeeded' }), true, false],
    ['failed', pod({}, { phase: 'Failed' }), true, false],
    ['terminating', pod({ metadata: { name: 'p', deletionTimestamp: 'x' } }), false, false],
    ['terminating, included', pod({ metadata: { name: 'p', deletionTimestamp: 'x' } }), true, true],
  ])('%s', (_name, p, includeTerminating, want) => {
    expect(shouldPodBeInEndpoints(p, includeTerminating)).toBe(want);
  });

  it('prefers podIPs over podIP', () => {
    expect(podIPs(pod({}, { podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }] }))).toEqual([
      '10.0.0.7',
      'fd00::7',
    ]);
  });
});

describe('servicesToUpdateOnPodChange', () => {
  const svc = (name: string, selector?: Record<string, string>): Service => ({
    metadata: { name, namespace: 'ns' },
    spec: selector ? { selector } : {},
  });
  const services = [svc('web', { app: 'web' }), svc('db', { app: 'db' }), svc('none')];
  const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
  const next = (extra: Partial<Pod>, status: Record<string, unknown> = {}): Pod => {
    const p = pod(extra, status);
    p.metadata = { ...pod().metadata, ...extra.metadata, resourceVersion: '2' };
    return p;
  };

  it.each<[string, Pod, string[]]>([
    ['nothing relevant', next({ metadata: { name: 'p', annotations: { a: 'b' } } }), []],
    ['readiness', next({}, ready), ['ns/web']],
    ['the IP', next({}, { podIP: '10.0.0.9' }), ['ns/web']],
    ['deletion', next({ metadata: { name: 'p', deletionTimestamp: 'x' } }), ['ns/web']],
    [
      'the port map',
      next({ metadata: { name: 'p', annotations: { 'kubeproc.io/port-map': '{}' } } }),
      ['ns/web'],
    ],
    [
      'labels only: both sides',
      next({ metadata: { name: 'p', labels: { app: 'db' } } }),
      ['ns/db', 'ns/web'],
    ],
    [
      'labels, still selected: nothing',
      next({ metadata: { name: 'p', labels: { app: 'web', x: 'y' } } }),
      [],
    ],
    [
      'labels and readiness: all',
      next({ metadata: { name: 'p', labels: { app: 'web', x: 'y' } } }, ready),
      ['ns/web'],
    ],
  ])('%s', (_name, newPod, want) => {
    expect([...servicesToUpdateOnPodChange(services, pod(), newPod)].sort()).toEqual(want);
  });

  it('ignores resyncs (same resourceVersion)', () => {
    const same = pod({}, ready);
    expect(servicesToUpdateOnPodChange(services, pod(), same).size).toBe(0);
  });
});

describe('last-change trigger time', () => {
  const svc: Service = {
    metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
  };
  const readyAt = (name: string, at: string): Pod => ({
    metadata: { name },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] },
  });

  it('is the Service creation on the first sync, then the earliest new pod change', () => {
    const first = computeTriggerTime(undefined, svc, [readyAt('a', '2024-01-01T00:01:00Z')]);
    expect(formatRFC3339Nano(first.triggerMs)).toBe('2024-01-01T00:00:00Z');
    const none = computeTriggerTime(first.state, svc, [readyAt('a', '2024-01-01T00:01:00Z')]);
    expect(none.triggerMs).toBe(0);
    const two = computeTriggerTime(none.state, svc, [
      readyAt('a', '2024-01-01T00:03:00Z'),
      readyAt('b', '2024-01-01T00:02:00Z'),
    ]);
    expect(formatRFC3339Nano(two.triggerMs)).toBe('2024-01-01T00:02:00Z');
  });

  it.each([
    [Date.UTC(2024, 0, 1, 0, 0, 0), '2024-01-01T00:00:00Z'],
    [Date.UTC(2024, 0, 1, 0, 0, 10, 120), '2024-01-01T00:00:10.12Z'],
    [Date.UTC(2024, 0, 1, 0, 0, 0, 5), '2024-01-01T00:00:00.005Z'],
  ])('formats %d as RFC3339Nano', (ms, want) => {
    expect(formatRFC3339Nano(ms)).toBe(want);
  });
});

describe('canonicalJSON', () => {
  it('ignores key order, absent values and empty containers', () => {
    expect(canonicalJSON({ b: 1, a: [], c: { d: undefined }, e: null })).toBe(
      canonicalJSON({ b: 1 }),
    );
    expect(canonicalJSON({ a: false })).not.toBe(canonicalJSON({}));
  });
});
