// Table printer for nodes: STATUS from the Ready condition plus SchedulingDisabled, ROLES from
// node-role labels, and the wide OS / kernel / runtime columns.
import type { KubeObject } from '../../apis/meta.js';
import { age, ageColumn, column, nameColumn, nameOf, printer, wideColumn } from './common.js';

interface Node extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status?: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
    };
  };
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Sorted roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) {
      roles.add(key.slice(ROLE_PREFIX.length));
    } else if (key === ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

function nodeStatus(node: Node): string {
  // Only the last Ready condition counts, as upstream indexes conditions by type.
  const ready = node.status?.conditions?.filter((c) => c.type === 'Ready').pop();
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) {
    parts.push('SchedulingDisabled');
  }
  return parts.join(',');
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

function nodeCells(obj: KubeObject, now: Date): unknown[] {
  const node = obj as Node;
  const info = node.status?.nodeInfo ?? {};
  return [
    nameOf(node),
    nodeStatus(node),
    nodeRoles(node.metadata.labels).join(',') || '<none>',
    age(node, now),
    info.kubeletVersion ?? '',
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
}

/** Printer for `nodes`. */
export const nodePrinter = printer(
  [
    nameColumn(),
    column('Status', 'string', 'Readiness of the node.'),
    column('Roles', 'string', 'Roles of the node.'),
    ageColumn(),
    column('Version', 'string', 'Kubelet version of the node.'),
    wideColumn('Internal-IP', 'string', 'First internal address of the node.'),
    wideColumn('External-IP', 'string', 'First external address of the node.'),
    wideColumn('OS-Image', 'string', 'Operating system image of the node.'),
    wideColumn('Kernel-Version', 'string', 'Kernel version of the node.'),
    wideColumn('Container-Runtime', 'string', 'Container runtime of the node.'),
  ],
  nodeCells,
);
