// apiregistration.k8s.io/v1 APIService (kube-aggregator): which server answers a group/version,
// Local for the API server's own groups, a Service for aggregated ones such as metrics-server.
import type { KubeObject } from '../meta.js';

export const APIREGISTRATION_GROUP = 'apiregistration.k8s.io';

/** The label kube-aggregator's autoregister controller puts on the APIServices it manages. */
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/** Where an aggregated API server listens; the port defaults to 443. */
export interface ServiceReference {
  namespace?: string;
  name?: string;
  port?: number;
}

export interface APIServiceSpec {
  /** Absent (or null) for Local APIServices, served by the API server itself. */
  service?: ServiceReference | null;
  group?: string;
  version?: string;
  insecureSkipTLSVerify?: boolean;
  caBundle?: string;
  groupPriorityMinimum: number;
  versionPriority: number;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface APIServiceCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface APIService extends KubeObject {
  spec?: APIServiceSpec;
  status?: { conditions?: APIServiceCondition[] };
}

/** The APIService name of a group/version: `v1.apps`, and `v1.` for the legacy core group. */
export function apiServiceName(group: string, version: string): string {
  return `${version}.${group}`;
}
