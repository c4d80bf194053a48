import { describe, expect, it } from 'vitest';
import type { ServerResource } from '../../client/client.js';
import { everythingSelector, parseLabelSelector } from '../../lib/labels.js';
import type { CustomMetricInfo } from '../custom/provider.js';
import { defaultConfig } from './config.js';
import { MetricNamer } from './namer.js';
import type { PromLabels } from './prom-client.js';
import { RestMapper } from './rest-mapper.js';
import { SeriesRegistry } from './series-registry.js';

// The types of upstream's series_registry_test.go restMapper(), core group first.
const served = (
  group: string,
  kind: string,
  resource: string,
  namespaced: boolean,
): ServerResource => ({ ref: { group, version: 'v1', resource }, kind, namespaced, verbs: [] });
const MAPPER = new RestMapper([
  served('', 'Pod', 'pods', true),
  served('', 'Service', 'services', true),
  served('', 'Node', 'nodes', false),
  served('', 'PersistentVolume', 'persistentvolumes', false),
  served('', 'Namespace', 'namespaces', false),
  served('extensions', 'Ingress', 'ingresses', true),
  served('extensions', 'Deployment', 'deployments', true),
]);

const s = (name: string, labels: PromLabels): PromLabels => ({ __name__: name, ...labels });
const CONTAINER = { pod: 'somepod', namespace: 'somens', container: 'somecont' };
// One list per default rule, as upstream's seriesRegistryTestSeries.
const SERIES: PromLabels[][] = [
  [s('container_some_time_seconds_total', CONTAINER)],
  [s('container_some_count_total', CONTAINER)],
  [s('container_some_usage', CONTAINER)],
  [
    s('node_gigawatts', { kube_node: 'somenode' }),
    s('service_proxy_packets', { kube_service: 'somesvc', kube_namespace: 'somens' }),
  ],
  [
    s('ingress_hits_total', {
      kube_ingress: 'someingress',
      kube_service: 'somesvc',
      kube_pod: 'backend1',
      kube_namespace: 'somens',
    }),
    s('ingress_hits_total', {
      kube_ingress: 'someingress',
      kube_service: 'somesvc',
      kube_pod: 'backend2',
      kube_namespace: 'somens',
    }),
    s('volume_claims_total', { kube_persistentvolume: 'somepv' }),
  ],
  [
    s('work_queue_wait_seconds_total', { kube_deployment: 'somedep', kube_namespace: 'somens' }),
    s('node_fan_seconds_total', { kube_node: 'somenode' }),
  ],
];

function registry(): SeriesRegistry {
  const namers = defaultConfig(60_000, 'kube_').rules.map((r) => new MetricNamer(r, () => MAPPER));
  const reg = new SeriesRegistry(() => MAPPER);
  reg.setSeries(namers.map((namer, i) => ({ namer, series: SERIES[i] ?? [] })));
  return reg;
}

const info = (resource: string, namespaced: boolean, metric: string, group = '') => ({
  groupResource: { group, resource },
  namespaced,
  metric,
});

type Row = [string, CustomMetricInfo, string, string[], string, string];

describe('SeriesRegistry with the default rules (upstream series_registry_test.go)', () => {
  it.each(
    (
      [
        [
          'container gauge, several pods',
          info('pods', true, 'some_usage'),
          'somens',
          ['somepod1', 'somepod2'],
          '',
          'sum(container_some_usage{namespace="somens",pod=~"somepod1|somepod2",container!="POD"}) by (pod)',
        ],
        [
          'container counter',
          info('pods', true, 'some_count'),
          'somens',
          ['somepod1', 'somepod2'],
          '',
          'sum(rate(container_some_count_total{namespace="somens",pod=~"somepod1|somepod2",container!="POD"}[1m])) by (pod)',
        ],
        [
          'container seconds counter',
          info('pods', true, 'some_time'),
          'somens',
          ['somepod1', 'somepod2'],
          '',
          'sum(rate(container_some_time_seconds_total{namespace="somens",pod=~"somepod1|somepod2",container!="POD"}[1m])) by (pod)',
        ],
        [
          'counter by service',
          info('service', true, 'ingress_hits'),
          'somens',
          ['somesvc'],
          '',
          'sum(rate(ingress_hits_total{kube_namespace="somens",kube_service="somesvc"}[1m])) by (kube_service)',
        ],
        [
          'counter by service, metric selector',
          info('service', true, 'ingress_hits'),
          'somens',
          ['somesvc'],
          'param1=value1',
          'sum(rate(ingress_hits_total{param1="value1",kube_namespace="somens",kube_service="somesvc"}[1m])) by (kube_service)',
        ],
        [
          'counter by ingress',
          info('ingress', true, 'ingress_hits', 'extensions'),
          'somens',
          ['someingress'],
          '',
          'sum(rate(ingress_hits_total{kube_namespace="somens",kube_ingress="someingress"}[1m])) by (kube_ingress)',
        ],
        [
          'counter by pod',
          info('pod', true, 'ingress_hits'),
          'somens',
          ['somepod'],
          '',
          'sum(rate(ingress_hits_total{kube_namespace="somens",kube_pod="somepod"}[1m])) by (kube_pod)',
        ],
        [
          'gauge by service',
          info('service', true, 'service_proxy_packets'),
          'somens',
          ['somesvc'],
          '',
          'sum(service_proxy_packets{kube_namespace="somens",kube_service="somesvc"}) by (kube_service)',
        ],
        [
          'seconds counter by deployment',
          info('deployment', true, 'work_queue_wait', 'extensions'),
          'somens',
          ['somedep'],
          '',
          'sum(rate(work_queue_wait_seconds_total{kube_namespace="somens",kube_deployment="somedep"}[1m])) by (kube_deployment)',
        ],
        [
          'root-scoped gauge',
          info('node', false, 'node_gigawatts'),
          '',
          ['somenode'],
          '',
          'sum(node_gigawatts{kube_node="somenode"}) by (kube_node)',
        ],
        [
          'root-scoped counter',
          info('persistentvolume', false, 'volume_claims'),
          '',
          ['somepv'],
          '',
          'sum(rate(volume_claims_total{kube_persistentvolume="somepv"}[1m])) by (kube_persistentvolume)',
        ],
        [
          'root-scoped seconds counter',
          info('node', false, 'node_fan'),
          '',
          ['somenode'],
          '',
          'sum(rate(node_fan_seconds_total{kube_node="somenode"}[1m])) by (kube_node)',
        ],
      ] as Row[]
    ).map(([title, metric, namespace, names, selector, want]) => ({
      title,
      metric,
      namespace,
      names,
      selector,
      want,
    })),
  )('builds the query for $title', ({ metric, namespace, names, selector, want }) => {
    const sel = selector ? parseLabelSelector(selector) : everythingSelector();
    expect(registry().queryForMetric(metric, namespace, sel, names)).toBe(want);
  });

  it('lists every metric of every resource its series name', () => {
    const key = (i: CustomMetricInfo) =>
      `${i.groupResource.resource}.${i.groupResource.group}/${i.metric}/${i.namespaced}`;
    const want: CustomMetricInfo[] = [
      info('pods', true, 'some_count'),
      info('namespaces', false, 'some_count'),
      info('pods', true, 'some_time'),
      info('namespaces', false, 'some_time'),
      info('pods', true, 'some_usage'),
      info('namespaces', false, 'some_usage'),
      info('services', true, 'ingress_hits'),
      info('ingresses', true, 'ingress_hits', 'extensions'),
      info('pods', true, 'ingress_hits'),
      info('namespaces', false, 'ingress_hits'),
      info('services', true, 'service_proxy_packets'),
      info('namespaces', false, 'service_proxy_packets'),
      info('deployments', true, 'work_queue_wait', 'extensions'),
      info('namespaces', false, 'work_queue_wait'),
      info('nodes', false, 'node_gigawatts'),
      info('persistentvolumes', false, 'volume_claims'),
      info('nodes', false, 'node_fan'),
    ];
    expect(registry().listAllMetrics().map(key).sort()).toEqual(want.map(key).sort());
  });

  it('knows no query for an unknown metric, a wrong scope or no object names', () => {
    const reg = registry();
    expect(reg.queryForMetric(info('pods', true, 'nope'), 'ns', undefined, ['a'])).toBeUndefined();
    expect(
      reg.queryForMetric(info('pods', false, 'some_usage'), '', undefined, ['a']),
    ).toBeUndefined();
    expect(
      reg.queryForMetric(info('pods', true, 'some_usage'), 'ns', undefined, []),
    ).toBeUndefined();
    expect(
      reg.queryForMetric(info('widgets', true, 'some_usage'), 'ns', undefined, ['a']),
    ).toBeUndefined();
  });

  it('matches query results back to object names by the resource label', () => {
    const values = registry().matchValuesToNames(info('service', true, 'ingress_hits'), [
      { metric: { kube_service: 'a' }, timestampMs: 0, value: 1.5 },
      { metric: { kube_service: 'b' }, timestampMs: 0, value: 2 },
    ]);
    expect(values).toEqual(
      new Map([
        ['a', 1.5],
        ['b', 2],
      ]),
    );
  });
});
