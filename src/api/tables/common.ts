// Building blocks shared by the Table printers: column definitions, the AGE cell, label and
// selector text (labels.Set / LabelSelector String() in upstream), container lists.
import type { ColumnDefinition, TablePrinter } from '../../apis/resource-type.js';
import type { KubeObject, LabelSelector } from '../../apis/meta.js';
import { translateTimestampSince } from './duration.js';

type ColumnType = ColumnDefinition['type'];

/** A column shown by plain `kubectl get`. */
export function column(name: string, type: ColumnType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 0 };
}

/** A column shown only with `-o wide`. */
export function wideColumn(name: string, type: ColumnType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 1 };
}

/** The NAME column; kubectl prefixes it with `kind/` when several types are listed. */
export function nameColumn(): ColumnDefinition {
  return {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name of the object.',
    priority: 0,
  };
}

/** The AGE column. */
export function ageColumn(): ColumnDefinition {
  return column('Age', 'string', 'Time since the object was created.');
}

/** Wide CONTAINERS and IMAGES columns of workload printers. */
export function containerColumns(): ColumnDefinition[] {
  return [
    wideColumn('Containers', 'string', 'Names of the containers in the pod template.'),
    wideColumn('Images', 'string', 'Images of the containers in the pod template.'),
  ];
}

/** Builds a printer from its columns and a cell function. */
export function printer(
  columns: ColumnDefinition[],
  cells: (obj: KubeObject, now: Date) => unknown[],
): TablePrinter {
  return { columns, cells };
}

/** AGE cell of an object. */
export function age(obj: KubeObject, now: Date): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** NAME cell of an object. */
export function nameOf(obj: KubeObject): string {
  return obj.metadata.name ?? '';
}

/** `k1=v1,k2=v2` with keys sorted (labels.Set.String()); empty for no labels. */
export function labelsString(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k] ?? ''}`)
    .join(',');
}

/** labels.FormatLabels: like labelsString, but `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return labelsString(labels) || '<none>';
}

const OPERATORS: Record<string, (key: string, values: string) => string> = {
  In: (k, v) => `${k} in (${v})`,
  NotIn: (k, v) => `${k} notin (${v})`,
  Exists: (k) => k,
  DoesNotExist: (k) => `!${k}`,
};

/**
 * The selector string of a metav1.LabelSelector (`app=web,tier in (a,b)`), requirements sorted by
 * key; undefined when the selector is invalid. A missing or empty selector gives ''.
 */
export function selectorString(selector: LabelSelector | undefined): string | undefined {
  const parts: [string, string][] = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => [
    k,
    `${k}=${v}`,
  ]);
  for (const expr of selector?.matchExpressions ?? []) {
    const render = OPERATORS[expr.operator];
    const values = [...new Set(expr.values ?? [])].sort();
    const needsValues = expr.operator === 'In' || expr.operator === 'NotIn';
    if (!render || needsValues !== values.length > 0) {
      return undefined;
    }
    parts.push([expr.key, render(expr.key, values.join(','))]);
  }
  // A stable sort by key, as upstream sorts requirements by key only.
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const text = selectorString(selector);
  if (text === undefined) {
    return '<error>';
  }
  return text || '<none>';
}

/** Comma-joined container names and images of a pod template. */
export function layoutContainers(
  containers: { name?: string; image?: string }[] | undefined,
): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** `a,b,c + N more...` once a list passes `max` entries, as several printers truncate. */
export function listWithMore(list: string[], total: number, max: number): string {
  const text = list.slice(0, max).join(',');
  return total > max ? `${text} + ${total - max} more...` : text;
}
