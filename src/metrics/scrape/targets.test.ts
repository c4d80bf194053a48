import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { ServiceMonitor } from '../../apis/monitoring/types.js';
import { computeTargets, hostPort } from './targets.js';

const defaults = { intervalMs: 15_000, timeoutMs: 10_000 };
/** Host ports differ per pod, as the node agent allocates them: a 41xxx, b 42xxx. */
const base = (name: string) => (name === 'b' ? 42000 : 41000);

function pod(
  name: string,
  opts: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    phase?: string;
    ns?: string;
  } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: opts.ns ?? 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? { app: 'web' },
      annotations: {
        'kubeproc.io/port-map': JSON.stringify({ 8080: base(name) + 1, 9090: base(name) + 2 }),
        ...opts.annotations,
      },
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'x',
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'metrics', containerPort: 9090 },
          ],
        },
      ],
    },
    status: { phase: opts.phase ?? 'Running', podIP: '127.0.0.1' },
  };
}

function service(name: string, labels: Record<string, string>, ns = 'default'): Service {
  return { metadata: { name, namespace: ns, labels }, spec: { selector: { app: 'web' } } };
}

function endpoints(name: string, pods: string[], ns = 'default'): KubeObject {
  return {
    metadata: { name, namespace: ns },
    subsets: pods.map((p) => ({
      addresses: [{ ip: '127.0.0.1', targetRef: { kind: 'Pod', name: p, namespace: ns } }],
      ports: [
        { name: 'web', port: base(p) + 1 },
        { name: 'metrics-svc-port', port: base(p) + 2 },
      ],
    })),
  };
}

function monitor(spec: Partial<ServiceMonitor['spec']>, ns = 'default'): ServiceMonitor {
  return {
    metadata: { name: 'sm', namespace: ns },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      endpoints: [{ port: 'metrics-svc-port' }],
      ...spec,
    },
  };
}

describe('hostPort', () => {
  it.each([
    ['{"8080":41001}', 8080, 41001],
    ['{"8080":41001}', 9999, 9999],
    ['not json', 8080, 8080],
    [undefined, 8080, 8080],
  ])('port map %s: %i -> %i', (map, port, expected) => {
    const p = pod('a');
    p.metadata.annotations = map === undefined ? {} : { 'kubeproc.io/port-map': map };
    expect(hostPort(p, port)).toBe(expected);
  });
});

describe('computeTargets: pod annotations', () => {
  const inputs = (pods: Pod[]) => ({ pods, services: [], endpoints: [], serviceMonitors: [] });

  it('scrapes the annotated port through the port map, with path and the pod labels', () => {
    const p = pod('a', {
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'prometheus.io/path': '/stats',
      },
    });
    expect(computeTargets(inputs([p]), defaults)).toEqual([
      {
        key: 'http://127.0.0.1:41002/stats',
        url: 'http://127.0.0.1:41002/stats',
        ...defaults,
        labels: {
          namespace: 'default',
          pod: 'a',
          container: 'app',
          job: 'kubernetes-pods',
          instance: '127.0.0.1:41002',
        },
        honorLabels: false,
        pod: { namespace: 'default', name: 'a', uid: 'uid-a' },
        source: 'pod annotation',
      },
    ]);
  });

  it('scrapes every declared port without a port annotation, /metrics by default', () => {
    const p = pod('a', { annotations: { 'prometheus.io/scrape': 'true' } });
    expect(computeTargets(inputs([p]), defaults).map((t) => t.url)).toEqual([
      'http://127.0.0.1:41001/metrics',
      'http://127.0.0.1:41002/metrics',
    ]);
  });

  it.each([
    ['not annotated', pod('a')],
    ['scrape "false"', pod('a', { annotations: { 'prometheus.io/scrape': 'false' } })],
    [
      'not running',
      pod('a', { annotations: { 'prometheus.io/scrape': 'true' }, phase: 'Pending' }),
    ],
  ])('skips a pod %s', (_what, p) => {
    expect(computeTargets(inputs([p]), defaults)).toEqual([]);
  });
});

describe('computeTargets: ServiceMonitors', () => {
  const objects = {
    pods: [pod('a'), pod('b')],
    services: [service('web', { app: 'web', team: 'x' })],
    endpoints: [endpoints('web', ['a', 'b'])],
  };

  it('scrapes the named Service port of each ready address, labelled as the operator does', () => {
    const targets = computeTargets(
      {
        ...objects,
        serviceMonitors: [
          monitor({
            jobLabel: 'team',
            targetLabels: ['team'],
            endpoints: [{ port: 'metrics-svc-port', interval: '10s', path: '/m' }],
          }),
        ],
      },
      defaults,
    );
    expect(targets.map((t) => [t.url, t.intervalMs, t.timeoutMs])).toEqual([
      ['http://127.0.0.1:41002/m', 10_000, 10_000],
      ['http://127.0.0.1:42002/m', 10_000, 10_000],
    ]);
    expect(targets[0]?.labels).toEqual({
      team: 'x',
      namespace: 'default',
      service: 'web',
      pod: 'a',
      container: 'app',
      endpoint: 'metrics-svc-port',
      job: 'x',
      instance: '127.0.0.1:41002',
    });
    expect(targets[0]?.source).toBe('servicemonitor default/sm');
  });

  it('resolves targetPort through the pod, and params into the query', () => {
    const [t] = computeTargets(
      {
        ...objects,
        pods: [pod('a')],
        endpoints: [endpoints('web', ['a'])],
        serviceMonitors: [
          monitor({ endpoints: [{ targetPort: 'http', params: { format: ['prometheus'] } }] }),
        ],
      },
      defaults,
    );
    expect(t?.url).toBe('http://127.0.0.1:41001/metrics?format=prometheus');
    expect(t?.labels.endpoint).toBe('http');
  });

  it.each([
    ['its own namespace by default', undefined, 'default', 2],
    ['not another namespace', undefined, 'other', 0],
    ['matchNames', { matchNames: ['other'] }, 'other', 2],
    ['any', { any: true }, 'other', 2],
  ])('selects Services in %s', (_what, namespaceSelector, serviceNs, count) => {
    const sm = monitor(namespaceSelector ? { namespaceSelector } : {});
    const targets = computeTargets(
      {
        pods: [pod('a', { ns: serviceNs }), pod('b', { ns: serviceNs })],
        services: [service('web', { app: 'web' }, serviceNs)],
        endpoints: [endpoints('web', ['a', 'b'], serviceNs)],
        serviceMonitors: [sm],
      },
      defaults,
    );
    expect(targets).toHaveLength(count);
  });

  it('skips Services the selector does not match and ports of other names', () => {
    expect(
      computeTargets(
        { ...objects, serviceMonitors: [monitor({ selector: { matchLabels: { app: 'db' } } })] },
        defaults,
      ),
    ).toEqual([]);
    expect(
      computeTargets(
        { ...objects, serviceMonitors: [monitor({ endpoints: [{ port: 'nope' }] })] },
        defaults,
      ),
    ).toEqual([]);
  });

  it('scrapes a pod a ServiceMonitor covers once, not again for its annotation', () => {
    const annotated = pod('a', {
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
    });
    const targets = computeTargets(
      {
        ...objects,
        pods: [annotated],
        endpoints: [endpoints('web', ['a'])],
        serviceMonitors: [monitor({})],
      },
      defaults,
    );
    expect(targets.map((t) => t.source)).toEqual(['servicemonitor default/sm']);
  });
});
