// Table printer for `servicemonitors.monitoring.coreos.com`: the prometheus-operator CRD declares
// no printer columns, so apiextensions' default applies: NAME and AGE.
import { age, column, nameColumn, nameOf, printer } from './common.js';

/** Printer for `servicemonitors.monitoring.coreos.com`. */
export const serviceMonitorPrinter = printer(
  [
    nameColumn(),
    column(
      'Age',
      'date',
      'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp',
    ),
  ],
  (obj, now) => [nameOf(obj), age(obj, now)],
);
