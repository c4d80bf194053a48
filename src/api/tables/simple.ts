// Table printers for small kinds (namespaces, configmaps, secrets, service accounts, leases) and
// the default NAME / Created At table the API server uses for kinds without a printer.
import type { KubeObject } from '../../apis/meta.js';
import { parseTime } from './duration.js';
import { age, ageColumn, column, nameColumn, nameOf, printer } from './common.js';

function countKeys(v: unknown): number {
  return v !== null && typeof v === 'object' ? Object.keys(v).length : 0;
}

/** Printer for `namespaces`. */
export const namespacePrinter = printer(
  [nameColumn(), column('Status', 'string', 'Phase of the namespace.'), ageColumn()],
  (obj, now) => {
    const status = obj.status as { phase?: string } | undefined;
    return [nameOf(obj), status?.phase ?? '', age(obj, now)];
  },
);

/** Printer for `configmaps`; DATA counts both data and binaryData keys. */
export const configMapPrinter = printer(
  [nameColumn(), column('Data', 'string', 'Number of data keys.'), ageColumn()],
  (obj, now) => [nameOf(obj), countKeys(obj.data) + countKeys(obj.binaryData), age(obj, now)],
);

/** Printer for `secrets`. */
export const secretPrinter = printer(
  [
    nameColumn(),
    column('Type', 'string', 'Type of the secret.'),
    column('Data', 'string', 'Number of data keys.'),
    ageColumn(),
  ],
  (obj, now) => [
    nameOf(obj),
    typeof obj.type === 'string' ? obj.type : '',
    countKeys(obj.data),
    age(obj, now),
  ],
);

/** Printer for `serviceaccounts`; 1.32 still shows the SECRETS count. */
export const serviceAccountPrinter = printer(
  [nameColumn(), column('Secrets', 'string', 'Number of listed secrets.'), ageColumn()],
  (obj, now) => [nameOf(obj), Array.isArray(obj.secrets) ? obj.secrets.length : 0, age(obj, now)],
);

/** Printer for `leases.coordination.k8s.io`. */
export const leasePrinter = printer(
  [nameColumn(), column('Holder', 'string', 'Identity of the current holder.'), ageColumn()],
  (obj, now) => {
    const spec = obj.spec as { holderIdentity?: string | null } | undefined;
    return [nameOf(obj), spec?.holderIdentity ?? '', age(obj, now)];
  },
);

function createdAt(obj: KubeObject): string {
  const ms = parseTime(obj.metadata.creationTimestamp);
  // Go formats the zero time for objects without a creationTimestamp.
  return ms === undefined
    ? '0001-01-01T00:00:00Z'
    : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The API server's default table for kinds without a printer: NAME and an RFC 3339 `Created At`. */
export const defaultPrinter = printer(
  [nameColumn(), column('Created At', 'date', 'Time the object was created.')],
  (obj) => [nameOf(obj), createdAt(obj)],
);
