// Table printers for metrics.k8s.io (metrics-server's table.go): NAME, one column per resource
// (cpu, memory: a pod's summed over its containers), WINDOW.
import type { ColumnDefinition } from '../../apis/resource-type.js';
import type { NodeMetrics, PodMetrics } from '../../apis/metrics/types.js';
import { parseQuantity } from '../../lib/quantity.js';
import type { Quantity } from '../../lib/quantity.js';
import { nameOf, printer } from './common.js';

const RESOURCES = ['cpu', 'memory'];

// metrics-server leaves the resource and window descriptions empty; kubectl never shows them.
const COLUMNS: ColumnDefinition[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name of the resource',
    priority: 0,
  },
  ...RESOURCES.map((name) => ({
    name,
    type: 'string' as const,
    format: 'quantity',
    description: `Usage of ${name} over the window.`,
    priority: 0,
  })),
  {
    name: 'Window',
    type: 'string',
    format: 'duration',
    description: 'The interval the usage was measured over.',
    priority: 0,
  },
];

/** The sum of one resource over a pod's containers, as its quantity string. */
export function podUsage(pod: PodMetrics, resource: string): string {
  let sum: Quantity | undefined;
  for (const c of pod.containers ?? []) {
    const text = c.usage?.[resource];
    if (text !== undefined) {
      const q = parseQuantity(text);
      sum = sum ? sum.add(q) : q;
    }
  }
  return sum?.toString() ?? '0';
}

/** Printer for `pods.metrics.k8s.io`. */
export const podMetricsPrinter = printer(COLUMNS, (obj) => {
  const pod = obj as PodMetrics;
  return [nameOf(obj), ...RESOURCES.map((r) => podUsage(pod, r)), pod.window ?? ''];
});

/** Printer for `nodes.metrics.k8s.io`. */
export const nodeMetricsPrinter = printer(COLUMNS, (obj) => {
  const node = obj as NodeMetrics;
  return [nameOf(obj), ...RESOURCES.map((r) => node.usage?.[r] ?? '0'), node.window ?? ''];
});
