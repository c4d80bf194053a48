// What the API server knows about one resource: names, versions, scope, subresources, and the
// per-kind strategy (defaulting, validation) and Table printer it applies.
import type { FieldError } from '../lib/errors.js';
import type { KubeObject } from './meta.js';

/** A column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition). */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** Renders objects of one resource as Table rows, with the columns Kubernetes prints. */
export interface TablePrinter {
  columns: ColumnDefinition[];
  /** Cells for one object, in column order; `now` is used for AGE-like cells. */
  cells(obj: KubeObject, now: Date): unknown[];
}

/**
 * Defaulting and validation of one kind, applied to the storage-version object.
 * `validate` runs on create and on update; `validateUpdate` adds the update-only rules
 * (immutable fields). Both return every problem found, never throw.
 */
export interface KindStrategy {
  default?(obj: KubeObject): void;
  /** Carries server-owned spec values (allocated IPs, ports) from old into an update. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** The strategy validates metadata itself (core and apps kinds, with upstream name rules). */
  validatesMetadata?: boolean;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Names of fields Kubernetes has that kubeproc stores but does not act on (for warnings). */
  ignoredFields?(obj: KubeObject): string[];
}

/** One served version of a resource and how it converts to and from the storage version. */
export interface VersionInfo {
  version: string;
  toStorage?(obj: KubeObject): KubeObject;
  fromStorage?(obj: KubeObject): KubeObject;
  /** Sent as a `Warning:` header on every request to this version. */
  deprecationWarning?: string;
}

export type SubresourceName =
  | 'status'
  | 'scale'
  | 'log'
  | 'exec'
  | 'attach'
  | 'portforward'
  | 'eviction'
  | 'binding'
  | 'proxy'
  | 'ephemeralcontainers';

/** Where the scale subresource reads and writes replicas. */
export interface ScaleAccess {
  specReplicas(obj: KubeObject): number;
  setSpecReplicas(obj: KubeObject, replicas: number): void;
  statusReplicas(obj: KubeObject): number;
  /** The label selector string (`app=web`) the HPA uses to find pods. */
  selector(obj: KubeObject): string;
}

export interface ResourceType {
  group: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Served versions, preferred first. */
  versions: VersionInfo[];
  storageVersion: string;
  subresources: SubresourceName[];
  /** Spec-bearing kinds bump metadata.generation on spec changes. */
  hasGeneration: boolean;
  strategy: KindStrategy;
  printer?: TablePrinter;
  /** Field selectors beyond metadata.name / metadata.namespace. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  scale?: ScaleAccess;
  /** Verbs served; defaults to create, delete, deletecollection, get, list, patch, update, watch. */
  verbs?: string[];
  /** PUT of a missing object creates it (events, leases, endpoints ... as upstream). */
  allowCreateOnUpdate?: boolean;
  /** Kinds whose status may be set on create (nodes, events); others start with empty status. */
  keepStatusOnCreate?: boolean;
  /** Another resource whose storage this one shares (events.k8s.io events are core events). */
  storedAs?: { group: string; resource: string };
  /** Name format rule for metadata.name. */
  nameRule?: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';
}
