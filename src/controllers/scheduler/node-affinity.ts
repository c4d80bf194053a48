// Node selection a pod demands (component-helpers scheduling/corev1/nodeaffinity): spec.nodeSelector
// and requiredDuringSchedulingIgnoredDuringExecution node selector terms.
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';

export interface NodeSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
}

/** Gt and Lt compare integers; anything else never matches (as upstream's strconv check). */
function parseInteger(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

type Matcher = (has: boolean, value: string, values: string[]) => boolean;

function compareInteger(isGreater: boolean): Matcher {
  return (has, value, values) => {
    const [have, limit] = [parseInteger(value), parseInteger(values[0])];
    if (!has || have === undefined || limit === undefined || values.length !== 1) {
      return false;
    }
    return isGreater ? have > limit : have < limit;
  };
}

const OPERATORS: Record<string, Matcher> = {
  In: (has, value, values) => has && values.includes(value),
  NotIn: (has, value, values) => !has || !values.includes(value),
  Exists: (has) => has,
  DoesNotExist: (has) => !has,
  Gt: compareInteger(true),
  Lt: compareInteger(false),
};

/** One requirement against a label (or field) set; an unknown operator matches nothing. */
export function matchesRequirement(
  req: NodeSelectorRequirement,
  set: Record<string, string>,
): boolean {
  const key = req.key ?? '';
  const matcher = OPERATORS[req.operator ?? ''];
  const has = Object.prototype.hasOwnProperty.call(set, key);
  return matcher ? matcher(has, set[key] ?? '', req.values ?? []) : false;
}

function matchesTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // A term with no requirements selects nothing.
  if (!exprs.length && !fields.length) {
    return false;
  }
  const labels = node.metadata.labels ?? {};
  const fieldSet = { 'metadata.name': node.metadata.name ?? '' };
  const isFieldOk = (r: NodeSelectorRequirement): boolean =>
    r.key === 'metadata.name' &&
    (r.operator === 'In' || r.operator === 'NotIn') &&
    matchesRequirement(r, fieldSet);
  return exprs.every((r) => matchesRequirement(r, labels)) && fields.every(isFieldOk);
}

/** Whether node satisfies the pod's nodeSelector and required node affinity terms (any term). */
export function matchesNodeSelector(pod: Pod, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    return false;
  }
  const affinity = (pod.spec?.affinity as { nodeAffinity?: NodeAffinity } | undefined)
    ?.nodeAffinity;
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) {
    return true;
  }
  return (required.nodeSelectorTerms ?? []).some((term) => matchesTerm(term, node));
}
