// The managedFields wire format: manager identities, decoding and validating entries, and
// encoding them back in upstream's order (Apply first, then by time, manager, version).
import type { ManagedFieldsEntry } from '../../apis/meta.js';
import { FieldSet } from './field-set.js';
import { isObject, type JsonObject } from './json-value.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  /** The API version the manager wrote with. */
  apiVersion: string;
  /** '' for the main resource. */
  subresource: string;
  time: string | undefined;
  set: FieldSet;
}

/** Managers by identifier (manager, operation, subresource and, for Update, apiVersion). */
export type Managers = Map<string, ManagerEntry>;

type Identity = Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;

/** Upstream's manager identifier: the entry as JSON without time, fields and Apply's version. */
export function managerIdentifier(e: Identity): string {
  const id: JsonObject = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update') {
    id.apiVersion = e.apiVersion;
  }
  if (e.subresource) {
    id.subresource = e.subresource;
  }
  return JSON.stringify(id);
}

/** How conflicts name a manager: `"kubectl"`, `"x" using apps/v1`, `"y" with subresource "status"`. */
export function printManager(e: Identity): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) {
    s += ` with subresource ${JSON.stringify(e.subresource)}`;
  }
  return e.operation === 'Update' ? `${s} using ${e.apiVersion}` : s;
}

function checkEntry(raw: JsonObject, i: number): void {
  const { operation, apiVersion, fieldsType } = raw;
  if (operation !== 'Apply' && operation !== 'Update') {
    throw new Error('operation must be `Apply` or `Update`');
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    throw new Error('apiVersion must not be empty');
  }
  if (fieldsType === undefined || fieldsType === '') {
    throw new Error(`missing fieldsType in managed fields entry ${i}`);
  }
  if (fieldsType !== 'FieldsV1') {
    throw new Error(
      `invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`,
    );
  }
}

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function decodeEntry(raw: unknown, i: number): ManagerEntry {
  if (!isObject(raw)) {
    throw new Error(`managed fields entry ${i} is not an object`);
  }
  checkEntry(raw, i);
  const fieldsV1 = raw.fieldsV1;
  return {
    manager: optionalString(raw.manager) ?? '',
    operation: raw.operation as 'Apply' | 'Update',
    apiVersion: raw.apiVersion as string,
    subresource: optionalString(raw.subresource) ?? '',
    time: optionalString(raw.time),
    set:
      fieldsV1 === undefined || fieldsV1 === null
        ? new FieldSet()
        : FieldSet.fromFieldsV1(fieldsV1),
  };
}

/** Parses metadata.managedFields; throws Error with upstream-like wording when malformed. */
export function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) {
    return managers;
  }
  if (!Array.isArray(entries)) {
    throw new Error('managedFields must be a list');
  }
  entries.forEach((raw, i) => {
    const entry = decodeEntry(raw, i);
    managers.set(managerIdentifier(entry), entry);
  });
  return managers;
}

function seconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareEntries(p: ManagerEntry, q: ManagerEntry): number {
  const keys: [string | number, string | number][] = [
    [p.operation, q.operation],
    [seconds(p.time), seconds(q.time)],
    [p.manager, q.manager],
    [p.apiVersion, q.apiVersion],
    [p.subresource, q.subresource],
  ];
  for (const [a, b] of keys) {
    if (a !== b) {
      return a < b ? -1 : 1;
    }
  }
  return 0;
}

/** The wire form, sorted as upstream sorts it; undefined when nobody manages anything. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  const entries = [...managers.values()].filter((e) => !e.set.isEmpty()).sort(compareEntries);
  if (entries.length === 0) {
    return undefined;
  }
  return entries.map((e) => {
    const out: ManagedFieldsEntry = {
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
    };
    if (e.time !== undefined) {
      out.time = e.time;
    }
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) {
      out.subresource = e.subresource;
    }
    return out;
  });
}
