// Beyond Kubernetes: one human sentence per decision (which metric drove it, which pods were
// left out, which stabilization or limit applied), for `kubectl describe` and the simulator.
import type { Draft } from './decide.js';
import type { LimitReason, Normalized } from './limits.js';
import type { PodGroups } from './pod-grouping.js';
import type { DecideInput } from './types.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function names(set: Set<string>): string {
  const list = [...set];
  const shown = list.slice(0, 3).join(', ');
  return list.length > 3 ? `${shown}, …` : shown;
}

function leftOut(groups: PodGroups | undefined): string | undefined {
  if (!groups) {
    return undefined;
  }
  const parts: string[] = [];
  if (groups.unready.size > 0) {
    parts.push(`${plural(groups.unready.size, 'unready pod')} (${names(groups.unready)})`);
  }
  if (groups.missing.size > 0) {
    parts.push(`${plural(groups.missing.size, 'pod')} without metrics (${names(groups.missing)})`);
  }
  if (groups.ignored.size > 0) {
    parts.push(
      `${plural(groups.ignored.size, 'terminating or finished pod')} (${names(groups.ignored)})`,
    );
  }
  return parts.length > 0 ? `left out ${parts.join(', ')}` : undefined;
}

const LIMITS: Partial<Record<LimitReason, string>> = {
  ScaleUpLimit: 'the scale-up rate limit caps it at',
  ScaleDownLimit: 'the scale-down rate limit holds it at',
  TooManyReplicas: 'maxReplicas caps it at',
  TooFewReplicas: 'minReplicas holds it at',
};

function outcome(current: number, draft: Draft): string {
  return draft.rescale
    ? `scaling from ${current} to ${draft.desiredReplicas}`
    : `keeping ${plural(current, 'replica')}`;
}

function limitPart(normalized: Normalized | undefined, proposal: number): string[] {
  if (!normalized) {
    return [];
  }
  const parts: string[] = [];
  if (normalized.stabilized !== proposal) {
    parts.push(`the stabilization window holds it at ${normalized.stabilized}`);
  }
  const limit = LIMITS[normalized.limitReason];
  if (limit) {
    parts.push(`${limit} ${normalized.desiredReplicas}`);
  }
  return parts;
}

function metricSentence(current: number, draft: Draft): string {
  const metrics = draft.metrics;
  const winner = metrics?.winner;
  const proposal = Math.max(metrics?.replicas ?? 0, 0);
  const parts = [
    winner
      ? `The ${winner.metricName} proposes ${plural(proposal, 'replica')}`
      : 'No metric proposed a count',
  ];
  const outcomes = metrics?.outcomes ?? [];
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed > 0) {
    parts.push(`${failed} of ${outcomes.length} metrics failed (scale-down blocked)`);
  }
  const pods = leftOut(winner?.groups);
  if (pods) {
    parts.push(pods);
  }
  parts.push(...limitPart(draft.normalized, proposal));
  return `${parts.join('; ')}: ${outcome(current, draft)}.`;
}

/** The human sentence for a draft decision. */
export function explain(input: DecideInput, draft: Draft): string {
  const current = input.scale.specReplicas;
  const { minReplicas = 1, maxReplicas } = input.hpa.spec;
  if (current === 0 && minReplicas !== 0) {
    return 'Autoscaling is disabled while the target has 0 replicas.';
  }
  if (current > maxReplicas) {
    return `The target has ${current} replicas, above maxReplicas ${maxReplicas}: scaling to ${maxReplicas} without reading metrics.`;
  }
  if (current < minReplicas) {
    return `The target has ${current} replicas, below minReplicas ${minReplicas}: scaling to ${minReplicas} without reading metrics.`;
  }
  if (draft.metricsFailed) {
    return `Metrics could not be used (${draft.metrics?.error ?? 'unknown error'}): keeping ${plural(current, 'replica')}.`;
  }
  return metricSentence(current, draft);
}
