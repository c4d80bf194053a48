// What every REST operation works with: the store, the clock, admission, and the request scope.
import type { KubeObject } from '../../apis/meta.js';
import type { ResourceType, VersionInfo } from '../../apis/resource-type.js';
import type { Store } from '../../store/store.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What a request addresses: one resource, in one served version, in one namespace ('' = all). */
export interface Scope {
  rt: ResourceType;
  version: VersionInfo;
  namespace: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Warnings to send back as `Warning:` headers; operations append to it. */
  warnings?: string[];
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  rt: ResourceType;
  /** The storage-version object being written (mutable), absent on DELETE. */
  object: KubeObject;
  old?: KubeObject;
  subresource: string;
  dryRun: boolean;
  /** Who writes (the request's fieldManager). */
  fieldManager: string;
  /** `Warning:` headers for the response; plugins append to it. */
  warnings: string[];
}

/** Mutating/validating admission, run after validation and before the write. */
export interface AdmissionPlugin {
  name: string;
  handles(rt: ResourceType): boolean;
  admit(req: AdmissionRequest, store: Store): void;
}

/** Checks an incoming object against the kind's schema (unknown fields, wrong types). */
export type FieldChecker = (
  gvk: { group: string; version: string; kind: string },
  obj: unknown,
  pruneUnknownFields: boolean,
) => { unknownFields: string[]; typeErrors: string[] };

export interface RestDeps {
  store: Store;
  now: () => Date;
  admission: AdmissionPlugin[];
  fieldChecker?: FieldChecker;
  /** Called for writes to the registry itself (e.g. new namespaces) after they commit. */
  onCommitted?: (rt: ResourceType, obj: KubeObject, operation: Operation) => void;
}
