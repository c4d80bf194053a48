// ObjectMeta create and update validation: fields, messages and paths as the API server reports.
import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../meta.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateName } from './object-meta.js';

const NS = { namespaced: true, nameRule: 'dns1123-subdomain' } as const;
const brief = (errs: { field: string; detail: string }[]): string[] =>
  errs.map((e) => `${e.field}: ${e.detail}`);

describe('validateObjectMeta', () => {
  it('accepts a plain namespaced object', () => {
    expect(validateObjectMeta({ name: 'web', namespace: 'default' }, NS)).toEqual([]);
  });

  it('requires a name or generateName', () => {
    expect(brief(validateObjectMeta({ namespace: 'default' }, NS))).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('words a bad subdomain name exactly as upstream', () => {
    const [err] = validateObjectMeta({ name: 'Web_1', namespace: 'default' }, NS);
    expect(err?.type).toBe('FieldValueInvalid');
    expect(err?.detail).toBe(
      `Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it.each<[string, ObjectMeta, boolean, string[]]>([
    ['namespace required', { name: 'a' }, true, ['metadata.namespace: Required value']],
    [
      'namespace forbidden',
      { name: 'a', namespace: 'x' },
      false,
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      'generation',
      { name: 'a', namespace: 'x', generation: -1 },
      true,
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'label value',
      { name: 'a', namespace: 'x', labels: { app: 'a b' } },
      true,
      [
        `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'finalizer not standard',
      { name: 'a', namespace: 'x', finalizers: ['custom'] },
      true,
      [
        'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
    [
      'orphan with foreground',
      { name: 'a', namespace: 'x', finalizers: ['orphan', 'foregroundDeletion'] },
      true,
      [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    ],
    [
      'owner missing fields',
      {
        name: 'a',
        namespace: 'x',
        ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }],
      },
      true,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    ],
    [
      'event owner',
      {
        name: 'a',
        namespace: 'x',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }],
      },
      true,
      [
        'metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e", UID:"u", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner',
      ],
    ],
  ])('%s', (_name, meta, namespaced, expected) => {
    expect(brief(validateObjectMeta(meta, { namespaced, nameRule: 'dns1123-subdomain' }))).toEqual(
      expected,
    );
  });

  it('allows one controller reference only', () => {
    const ref = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name,
      uid: name,
      controller: true,
    });
    const errs = validateObjectMeta(
      { name: 'a', namespace: 'x', ownerReferences: [ref('r1'), ref('r2')] },
      NS,
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]?.detail).toMatch(
      /^Invalid value: \[\]v1\.OwnerReference\{.*\}: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/r1 and ReplicaSet\/r2$/,
    );
  });

  it('limits annotations to 256 KiB in total', () => {
    const meta = { name: 'a', namespace: 'x', annotations: { big: 'x'.repeat(256 * 1024) } };
    expect(brief(validateObjectMeta(meta, NS))).toEqual([
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('checks annotation keys case-insensitively', () => {
    expect(
      validateObjectMeta(
        { name: 'a', namespace: 'x', annotations: { 'Example.COM/Key': 'v' } },
        NS,
      ),
    ).toEqual([]);
  });

  it('validates generateName with its trailing dash masked', () => {
    expect(validateObjectMeta({ generateName: 'web-', namespace: 'x' }, NS)).toHaveLength(1); // name required
    expect(
      brief(validateObjectMeta({ generateName: 'Web-', name: 'web-abcde', namespace: 'x' }, NS))[0],
    ).toMatch(/^metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/);
  });
});

describe('validateName', () => {
  it.each([
    ['path-segment', '.', false, ["may not be '.'"]],
    ['path-segment', 'a/b%c', false, ["may not contain '/'", "may not contain '%'"]],
    ['path-segment', '..', true, []],
    ['dns1123-label', 'a.b', false, ['must not contain dots']],
  ] as const)('%s %j (prefix %s)', (rule, name, prefix, expected) => {
    expect(validateName(rule, name, prefix)).toEqual(expected);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'a',
    namespace: 'x',
    uid: 'u1',
    generation: 3,
    creationTimestamp: '2024-05-06T07:08:09Z',
  };

  it('accepts an unchanged identity', () => {
    expect(validateObjectMetaUpdate({ ...old, labels: { new: 'label' } }, old)).toEqual([]);
  });

  it.each<[string, ObjectMeta, string]>([
    ['name', { ...old, name: 'b' }, 'metadata.name: Invalid value: "b": field is immutable'],
    [
      'namespace',
      { ...old, namespace: 'y' },
      'metadata.namespace: Invalid value: "y": field is immutable',
    ],
    ['uid', { ...old, uid: 'u2' }, 'metadata.uid: Invalid value: "u2": field is immutable'],
    [
      'creationTimestamp',
      { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
      'metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable',
    ],
    [
      'generation',
      { ...old, generation: 2 },
      'metadata.generation: Invalid value: 2: must not be decremented',
    ],
  ])('rejects a changed %s', (_f, meta, expected) => {
    expect(brief(validateObjectMetaUpdate(meta, old))).toEqual([expected]);
  });

  it('rejects new finalizers once deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-06-01T00:00:00Z', finalizers: ['a/b'] };
    expect(
      brief(validateObjectMetaUpdate({ ...deleting, finalizers: ['a/b', 'c/d', 'a/c'] }, deleting)),
    ).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a/c", "c/d"}',
    ]);
  });
});
