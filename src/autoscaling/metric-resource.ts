// Resource and ContainerResource metrics (computeStatusForResourceMetricGeneric): an averageValue
// target goes through the plain calculator, an averageUtilization target through the
// utilization calculator; status values are milli-quantities (memory printed BinarySI).
import type { MetricSpec, MetricTarget, MetricValueStatus } from '../apis/autoscaling/types.js';
import { plainReplicas } from './calculators/plain.js';
import { resourceReplicas } from './calculators/resource.js';
import type { MetricContext, MetricOutcome } from './metric-outcome.js';
import { errorText, metricFailure } from './metric-outcome.js';
import { formatMilli, milliValue } from './milli.js';
import type { PodGroups } from './pod-grouping.js';
import type { PodSamples } from './samples.js';
import { MetricError, resourceSamples } from './samples.js';
import type { MetricData } from './types.js';

interface ResourceSource {
  name: string;
  container: string;
  target: MetricTarget;
  isContainer: boolean;
}

interface GenericResult {
  replicas: number;
  current: MetricValueStatus;
  metricName: string;
  groups: PodGroups;
}

function collect(data: MetricData | undefined, src: ResourceSource): PodSamples | MetricError {
  try {
    return resourceSamples(data, src.name, src.container);
  } catch (e) {
    return e instanceof MetricError ? e : new MetricError(errorText(e));
  }
}

const quantityText = (resource: string, milli: bigint): string =>
  formatMilli(milli, resource === 'memory' ? 'BinarySI' : 'DecimalSI');

function rawUsage(
  ctx: MetricContext,
  src: ResourceSource,
  data: MetricData | undefined,
): GenericResult {
  const samples = collect(data, src);
  try {
    if (samples instanceof MetricError) {
      throw new MetricError(`unable to get metrics for resource ${src.name}: ${samples.message}`);
    }
    const result = plainReplicas({
      currentReplicas: ctx.scale.specReplicas,
      targetUsage: milliValue(src.target.averageValue ?? 0),
      resource: src.name,
      tolerances: ctx.tolerances,
      samples,
      pods: ctx.pods,
      timing: ctx.timing,
    });
    const current = { averageValue: quantityText(src.name, result.usage) };
    return { ...result, current, metricName: `${src.name} resource` };
  } catch (e) {
    throw new MetricError(`failed to get ${src.name} usage: ${errorText(e)}`);
  }
}

function utilization(
  ctx: MetricContext,
  src: ResourceSource,
  data: MetricData | undefined,
): GenericResult {
  if (src.target.averageUtilization == null) {
    throw new MetricError(
      'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    );
  }
  try {
    const result = resourceReplicas({
      currentReplicas: ctx.scale.specReplicas,
      targetUtilization: src.target.averageUtilization,
      resource: src.name,
      container: src.container,
      tolerances: ctx.tolerances,
      samples: collect(data, src),
      pods: ctx.pods,
      timing: ctx.timing,
    });
    const current = {
      averageValue: quantityText(src.name, result.rawAverage),
      averageUtilization: result.utilization,
    };
    const kind = src.isContainer ? 'container resource' : 'resource';
    const metricName = `${src.name} ${kind} utilization (percentage of request)`;
    return { replicas: result.replicas, current, metricName, groups: result.groups };
  } catch (e) {
    throw new MetricError(`failed to get ${src.name} utilization: ${errorText(e)}`);
  }
}

function generic(
  ctx: MetricContext,
  src: ResourceSource,
  data: MetricData | undefined,
): GenericResult {
  return src.target.averageValue != null ? rawUsage(ctx, src, data) : utilization(ctx, src, data);
}

/** computeStatusForResourceMetric / computeStatusForContainerResourceMetric. */
export function resourceMetric(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  const isContainer = spec.type === 'ContainerResource';
  const source = isContainer ? spec.containerResource : spec.resource;
  const src: ResourceSource = {
    name: source?.name ?? '',
    container: spec.containerResource?.container ?? '',
    target: source?.target ?? { type: '' },
    isContainer,
  };
  let result: GenericResult;
  try {
    result = generic(ctx, src, data);
  } catch (e) {
    const err = errorText(e);
    return isContainer
      ? metricFailure(
          'FailedGetContainerResourceMetric',
          err,
          `failed to get ${src.container} container metric value: ${err}`,
        )
      : metricFailure(
          'FailedGetResourceMetric',
          err,
          `failed to get ${src.name} resource metric value: ${err}`,
        );
  }
  const status = isContainer
    ? {
        type: 'ContainerResource',
        containerResource: { name: src.name, current: result.current, container: src.container },
      }
    : { type: 'Resource', resource: { name: src.name, current: result.current } };
  return {
    ok: true,
    replicas: result.replicas,
    metricName: result.metricName,
    status,
    groups: result.groups,
  };
}
