// Table printer for `apiservices.apiregistration.k8s.io` (kube-aggregator's ConvertToTable):
// NAME, SERVICE (`Local` or namespace/name), AVAILABLE (`True`, or `False (Reason)`), AGE.
import type { APIService } from '../../apis/apiregistration/types.js';
import { age, ageColumn, column, nameColumn, nameOf, printer } from './common.js';

/** The AVAILABLE cell: the condition's status, with its reason unless it is True. */
export function availableCell(obj: APIService): string {
  const condition = obj.status?.conditions?.find((c) => c.type === 'Available');
  if (!condition) {
    return 'Unknown';
  }
  if (condition.status === 'True' || !condition.reason) {
    return condition.status;
  }
  return `${condition.status} (${condition.reason})`;
}

/** Printer for `apiservices.apiregistration.k8s.io`. */
export const apiServicePrinter = printer(
  [
    nameColumn(),
    column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'string', 'Whether this service is available.'),
    ageColumn(),
  ],
  (obj, now) => {
    const svc = obj as APIService;
    const ref = svc.spec?.service;
    const service = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local';
    return [nameOf(obj), service, availableCell(svc), age(obj, now)];
  },
);
