// monitoring.coreos.com/v1 ServiceMonitor (prometheus-operator), served as a built-in kind: which
// Services' endpoints the built-in scraper scrapes, on which port and path, and how often.
import type { KubeObject, LabelSelector } from '../meta.js';

export const MONITORING_GROUP = 'monitoring.coreos.com';
export const MONITORING_VERSION = 'v1';

/** One scrape endpoint of the selected Services (the fields kubeproc acts on; others are kept). */
export interface ServiceMonitorEndpoint {
  /** Name of the Service port; takes precedence over targetPort. */
  port?: string;
  /** Name or number of the pod's container port (deprecated upstream, still honoured). */
  targetPort?: number | string;
  /** Defaults to /metrics. */
  path?: string;
  /** http (default) or https. */
  scheme?: 'http' | 'https';
  params?: Record<string, string[]>;
  /** A Prometheus duration (`10s`, `1m`); the global scrape interval when empty. */
  interval?: string;
  /** A Prometheus duration, at most the interval. */
  scrapeTimeout?: string;
  /** Keep the scraped labels on a clash with target labels (else they become `exported_*`). */
  honorLabels?: boolean;
  [field: string]: unknown;
}

export interface NamespaceSelector {
  any?: boolean;
  matchNames?: string[];
}

export interface ServiceMonitorSpec {
  jobLabel?: string;
  targetLabels?: string[];
  podTargetLabels?: string[];
  endpoints: ServiceMonitorEndpoint[];
  selector: LabelSelector;
  namespaceSelector?: NamespaceSelector;
  sampleLimit?: number;
  /** `10MiB`, `512KB` ... */
  bodySizeLimit?: string;
  [field: string]: unknown;
}

export interface ServiceMonitor extends KubeObject {
  spec: ServiceMonitorSpec;
}
