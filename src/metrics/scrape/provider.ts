// The built-in custom and external metrics provider: answers from the scraped series (and the
// proxy's request series) the way prometheus-adapter's default rules answer from Prometheus: a
// series describes the objects its `pod` / `service` / `namespace` labels name, summed per object.
import { formatTime } from '../../apis/meta.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Lister } from '../../client/informer.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import type {
  CustomMetricInfo,
  CustomMetricValue,
  ExternalMetricInfo,
  ExternalMetricValue,
  GroupResource,
  MetricsProvider,
  NamespacedName,
} from '../custom/provider.js';
import {
  metricNotFound,
  metricNotFoundFor,
  metricQuantity,
  objectReference,
  selectorObject,
} from '../custom/provider.js';
import type { SeriesStore, SeriesValue } from './series-store.js';

/** A resource a series label can name: the label, and the kind the API describes it as. */
interface Described {
  label: string;
  kind: string;
  namespaced: boolean;
}

/** The resources the built-in series name (the adapter's `<<.Resource>>` label template). */
const DESCRIBED: Record<string, Described> = {
  pods: { label: 'pod', kind: 'Pod', namespaced: true },
  services: { label: 'service', kind: 'Service', namespaced: true },
  namespaces: { label: 'namespace', kind: 'Namespace', namespaced: false },
};

function describedFor(gr: GroupResource): Described | undefined {
  return gr.group === '' && Object.hasOwn(DESCRIBED, gr.resource)
    ? DESCRIBED[gr.resource]
    : undefined;
}

export interface ScrapedProviderDeps {
  store: SeriesStore;
  /** Listers of the described objects, to resolve object label selectors. */
  listers: { pods: Lister; services: Lister; namespaces: Lister };
}

interface Aggregate {
  value: number;
  atMs: number;
}

export class ScrapedMetricsProvider implements MetricsProvider {
  constructor(private readonly deps: ScrapedProviderDeps) {}

  /** Series of `metric` that describe objects of `d` (in `namespace` unless root-scoped). */
  private seriesFor(
    metric: string,
    d: Described,
    namespace: string,
    metricSelector: LabelSelectorMatcher,
  ): SeriesValue[] {
    return this.deps.store
      .values(metric)
      .filter(
        (s) =>
          s.labels[d.label] !== undefined &&
          s.labels[d.label] !== '' &&
          (!d.namespaced || s.labels.namespace === namespace) &&
          metricSelector.matches(s.labels),
      );
  }

  private isRegistered(metric: string, d: Described): boolean {
    return this.deps.store.values(metric).some((s) => (s.labels[d.label] ?? '') !== '');
  }

  private byObject(series: SeriesValue[], d: Described): Map<string, Aggregate> {
    const out = new Map<string, Aggregate>();
    for (const s of series) {
      const name = s.labels[d.label] ?? '';
      const agg = out.get(name) ?? { value: 0, atMs: 0 };
      agg.value += s.value;
      agg.atMs = Math.max(agg.atMs, s.atMs);
      out.set(name, agg);
    }
    return out;
  }

  private value(
    d: Described,
    name: NamespacedName,
    q: { info: CustomMetricInfo; metricSelector: LabelSelectorMatcher; agg: Aggregate },
  ): CustomMetricValue {
    const { info, metricSelector, agg } = q;
    const selector = selectorObject(metricSelector);
    return {
      describedObject: objectReference(
        { group: '', version: 'v1', kind: d.kind },
        d.namespaced ? name : { namespace: '', name: name.name },
      ),
      metric: { name: info.metric, ...(selector ? { selector } : {}) },
      timestamp: formatTime(new Date(agg.atMs)),
      value: metricQuantity(agg.value),
    };
  }

  getMetricByName(
    name: NamespacedName,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue> {
    const d = describedFor(info.groupResource);
    if (!d || !this.isRegistered(info.metric, d)) {
      return Promise.reject(metricNotFound(info.groupResource, info.metric));
    }
    // Metrics of namespaces are root-scoped: the namespace's own name selects its series.
    const namespace = d.namespaced ? name.namespace : '';
    const series = this.seriesFor(info.metric, d, namespace, metricSelector).filter(
      (s) => s.labels[d.label] === name.name,
    );
    const agg = this.byObject(series, d).get(name.name);
    if (!agg) {
      return Promise.reject(metricNotFoundFor(info.groupResource, info.metric, name.name));
    }
    return Promise.resolve(this.value(d, name, { info, metricSelector, agg }));
  }

  getMetricBySelector(
    namespace: string,
    selector: LabelSelectorMatcher,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue[]> {
    const d = describedFor(info.groupResource);
    if (!d || !this.isRegistered(info.metric, d)) {
      return Promise.reject(metricNotFound(info.groupResource, info.metric));
    }
    const lister =
      this.deps.listers[info.groupResource.resource as keyof ScrapedProviderDeps['listers']];
    const names = lister
      .list(d.namespaced ? namespace : undefined)
      .filter((o: KubeObject) => selector.matches(o.metadata.labels))
      .map((o) => o.metadata.name ?? '')
      .sort();
    const values = this.byObject(this.seriesFor(info.metric, d, namespace, metricSelector), d);
    const out: CustomMetricValue[] = [];
    for (const name of names) {
      const agg = values.get(name);
      if (agg) {
        out.push(this.value(d, { namespace, name }, { info, metricSelector, agg }));
      }
    }
    return Promise.resolve(out);
  }

  listAllMetrics(): CustomMetricInfo[] {
    const out: CustomMetricInfo[] = [];
    for (const [metric, labels] of this.deps.store.metricLabels()) {
      for (const [resource, d] of Object.entries(DESCRIBED)) {
        if (labels.has(d.label)) {
          out.push({ groupResource: { group: '', resource }, namespaced: d.namespaced, metric });
        }
      }
    }
    return out.sort((a, b) =>
      `${a.groupResource.resource}/${a.metric}`.localeCompare(
        `${b.groupResource.resource}/${b.metric}`,
      ),
    );
  }

  getExternalMetric(
    namespace: string,
    metricSelector: LabelSelectorMatcher,
    info: ExternalMetricInfo,
  ): Promise<ExternalMetricValue[]> {
    const all = this.deps.store.values(info.metric);
    if (all.length === 0) {
      // The adapter names `namespaces` only for "default" (its selectGroupResource quirk).
      const gr = { group: '', resource: namespace === 'default' ? 'namespaces' : '' };
      return Promise.reject(metricNotFound(gr, info.metric));
    }
    return Promise.resolve(
      all
        .filter((s) => s.labels.namespace === namespace && metricSelector.matches(s.labels))
        .map((s) => ({
          metricName: info.metric,
          metricLabels: { ...s.labels },
          timestamp: formatTime(new Date(s.atMs)),
          value: metricQuantity(s.value),
        })),
    );
  }

  listAllExternalMetrics(): ExternalMetricInfo[] {
    return [...this.deps.store.metricLabels().keys()].sort().map((metric) => ({ metric }));
  }
}
