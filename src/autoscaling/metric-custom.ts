// Pods, Object and External metrics (computeStatusFor{Pods,Object,External}Metric) with their
// calculators, metric names and status entries as horizontal.go builds them.
import type { MetricIdentifier, MetricSpec, MetricTarget } from '../apis/autoscaling/types.js';
import { labelSelectorFromObject } from '../lib/labels.js';
import { plainReplicas } from './calculators/plain.js';
import {
  perPodReplicas,
  perPodUsage,
  sumSaturating,
  sumWrapping,
  usageRatioReplicaCount,
} from './calculators/object-external.js';
import { goLabelSelector } from './go-format.js';
import type { MetricContext, MetricOutcome } from './metric-outcome.js';
import { errorText, metricFailure } from './metric-outcome.js';
import { formatMilli, milliValue, toFloat } from './milli.js';
import type { PodSamples } from './samples.js';
import { MetricError, externalValues, objectValue, podsSamples } from './samples.js';
import type { MetricData } from './types.js';

const identifier = (m: MetricIdentifier): MetricIdentifier =>
  m.selector === undefined ? { name: m.name } : { name: m.name, selector: m.selector };

const externalName = (m: MetricIdentifier): string =>
  `external metric ${m.name}(${goLabelSelector(m.selector)})`;

/** GetMetricReplicas' fetch: the custom metric per pod, or upstream's wrapped error. */
function customSamples(name: string, data: MetricData | undefined): PodSamples {
  try {
    return podsSamples(data);
  } catch (e) {
    throw new MetricError(`unable to get metric ${name}: ${errorText(e)}`);
  }
}

/** computeStatusForPodsMetric. */
export function podsMetric(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const source = spec.pods ?? { metric: { name: '' }, target: { type: '' } };
  const name = source.metric.name;
  try {
    labelSelectorFromObject(source.metric.selector ?? {});
    const result = plainReplicas({
      currentReplicas: ctx.scale.specReplicas,
      targetUsage: milliValue(source.target.averageValue ?? 0),
      resource: '',
      tolerances: ctx.tolerances,
      samples: customSamples(name, data),
      pods: ctx.pods,
      timing: ctx.timing,
    });
    const current = { averageValue: formatMilli(result.usage) };
    const status = { type: 'Pods', pods: { metric: identifier(source.metric), current } };
    return {
      ok: true,
      replicas: result.replicas,
      metricName: `pods metric ${name}`,
      status,
      groups: result.groups,
    };
  } catch (e) {
    const err = errorText(e);
    return metricFailure('FailedGetPodsMetric', err, `failed to get pods metric value: ${err}`);
  }
}

function objectOutcome(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const source = spec.object!;
  const { describedObject: ref, metric, target } = source;
  let usage: bigint;
  try {
    usage = objectValue(data).value;
  } catch (e) {
    const ns = ctx.hpa.metadata.namespace ?? '';
    throw new MetricError(
      `unable to get metric ${metric.name} on ${ref.kind} ${ns}/${ref.name}: ${errorText(e)}`,
    );
  }
  const base = { metric: identifier(metric) };
  if (target.type === 'Value' && target.value != null) {
    const ratio = toFloat(usage) / toFloat(milliValue(target.value));
    const replicas = usageRatioReplicaCount(
      ctx.scale.specReplicas,
      ratio,
      ctx.tolerances,
      ctx.pods,
    );
    const object = { ...base, current: { value: formatMilli(usage) }, describedObject: ref };
    return {
      ok: true,
      replicas,
      metricName: `${ref.kind} metric ${metric.name}`,
      status: { type: 'Object', object },
    };
  }
  const statusReplicas = ctx.scale.statusReplicas;
  const replicas = perPodReplicas(
    statusReplicas,
    usage,
    milliValue(target.averageValue ?? 0),
    ctx.tolerances,
  );
  const current = { averageValue: formatMilli(perPodUsage(usage, statusReplicas)) };
  const object = { ...base, current, describedObject: ref };
  return {
    ok: true,
    replicas,
    metricName: externalName(metric),
    status: { type: 'Object', object },
  };
}

const hasTarget = (t: MetricTarget, type: 'Value' | 'AverageValue'): boolean =>
  type === 'Value'
    ? t.type === 'Value' && t.value != null
    : t.type === 'AverageValue' && t.averageValue != null;

/** computeStatusForObjectMetric. */
export function objectMetric(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const outer = (err: string): string => `failed to get object metric value: ${err}`;
  const source = spec.object;
  try {
    labelSelectorFromObject(source?.metric.selector ?? {});
  } catch (e) {
    return metricFailure('FailedGetObjectMetric', errorText(e), outer(errorText(e)));
  }
  if (
    !source ||
    (!hasTarget(source.target, 'Value') && !hasTarget(source.target, 'AverageValue'))
  ) {
    const err =
      'invalid object metric source: neither a value target nor an average value target was set';
    return metricFailure('FailedGetObjectMetric', err, outer(err));
  }
  const perPod = !hasTarget(source.target, 'Value');
  try {
    return objectOutcome(ctx, spec, data);
  } catch (e) {
    const err = errorText(e);
    const returned = perPod ? `failed to get ${source.metric.name} object metric: ${err}` : err;
    return metricFailure('FailedGetObjectMetric', err, outer(returned));
  }
}

function externalOutcome(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const { metric, target } = spec.external!;
  const ns = ctx.hpa.metadata.namespace ?? '';
  labelSelectorFromObject(metric.selector ?? {});
  let values: bigint[];
  try {
    values = externalValues(data).values;
  } catch (e) {
    const sel = goLabelSelector(metric.selector);
    throw new MetricError(
      `unable to get external metric ${ns}/${metric.name}/${sel}: ${errorText(e)}`,
    );
  }
  const base = { metric: identifier(metric) };
  if (target.averageValue != null) {
    const usage = sumWrapping(values);
    const statusReplicas = ctx.scale.statusReplicas;
    const replicas = perPodReplicas(
      statusReplicas,
      usage,
      milliValue(target.averageValue),
      ctx.tolerances,
    );
    const external = {
      ...base,
      current: { averageValue: formatMilli(perPodUsage(usage, statusReplicas)) },
    };
    return {
      ok: true,
      replicas,
      metricName: externalName(metric),
      status: { type: 'External', external },
    };
  }
  const usage = sumSaturating(values);
  const ratio = toFloat(usage) / toFloat(milliValue(target.value ?? 0));
  const replicas = usageRatioReplicaCount(ctx.scale.specReplicas, ratio, ctx.tolerances, ctx.pods);
  const external = { ...base, current: { value: formatMilli(usage) } };
  return {
    ok: true,
    replicas,
    metricName: externalName(metric),
    status: { type: 'External', external },
  };
}

/** computeStatusForExternalMetric. */
export function externalMetric(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const source = spec.external;
  const name = source?.metric.name ?? '';
  const outer = (err: string): string => `failed to get ${name} external metric value: ${err}`;
  if (!source || (source.target.averageValue == null && source.target.value == null)) {
    const err =
      'invalid external metric source: neither a value target nor an average value target was set';
    return metricFailure('FailedGetExternalMetric', err, outer(err));
  }
  try {
    return externalOutcome(ctx, spec, data);
  } catch (e) {
    const err = errorText(e);
    const returned =
      source.target.averageValue != null
        ? `failed to get ${name} external metric: ${err}`
        : `failed to get external metric ${name}: ${err}`;
    return metricFailure('FailedGetExternalMetric', err, outer(returned));
  }
}
