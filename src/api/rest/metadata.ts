// System-owned metadata on create and update: uid, timestamps, generation, generateName.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { ResourceType } from '../../apis/resource-type.js';

// The alphabet upstream uses for generated names: no vowels, no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME = 63;

/** `generateName` plus five random characters, truncated as upstream does. */
export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  }
  const head = base.length > MAX_NAME - 5 ? base.slice(0, MAX_NAME - 5) : base;
  return head + suffix;
}

/** Sets what the server owns on a new object. */
export function prepareCreateMeta(rt: ResourceType, obj: KubeObject, now: Date): void {
  const meta: ObjectMeta = obj.metadata;
  if (!meta.name && meta.generateName) {
    meta.name = generateName(meta.generateName);
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = formatTime(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (rt.hasGeneration) {
    meta.generation = 1;
  } else {
    delete meta.generation;
  }
  if (!rt.keepStatusOnCreate && rt.subresources.includes('status')) {
    delete obj.status;
  }
}

/** Keeps what the client may not change on update, and bumps generation on spec changes. */
export function prepareUpdateMeta(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject,
  isDelete = false,
): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  // A uid the client sent is kept, so validation rejects a changed one (it is immutable); an
  // absent one is filled in.
  meta.uid = meta.uid || oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  // Only the DELETE verb may set the deletion fields; any other write keeps the stored ones.
  if (!isDelete) {
    setOrDelete(meta, 'deletionTimestamp', oldMeta.deletionTimestamp);
    setOrDelete(meta, 'deletionGracePeriodSeconds', oldMeta.deletionGracePeriodSeconds);
  }
  if (rt.hasGeneration) {
    const oldGeneration = oldMeta.generation ?? 1;
    meta.generation = specChanged(obj, old) ? oldGeneration + 1 : oldGeneration;
  } else {
    delete meta.generation;
  }
}

function setOrDelete<K extends keyof ObjectMeta>(
  meta: ObjectMeta,
  key: K,
  value: ObjectMeta[K],
): void {
  if (value === undefined) {
    delete meta[key];
  } else {
    meta[key] = value;
  }
}

/** Everything but metadata and status counts as spec, as upstream strategies compare it. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  return !deepEqual(withoutMetaAndStatus(a), withoutMetaAndStatus(b));
}

function withoutMetaAndStatus(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) {
    return false;
  }
  return ak.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
