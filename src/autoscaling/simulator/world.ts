// The simulated world: pods that start on scale-up and turn Ready after a delay, and the metrics
// API objects they would report (resource, custom per pod, object and external) for a load.
import type { HorizontalPodAutoscaler, MetricSpec } from '../../apis/autoscaling/types.js';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import { effectiveMetrics } from '../fetch-plan.js';
import { formatMilli } from '../milli.js';
import type { MetricData } from '../types.js';

/** A simulated pod: its name and when it started. */
export interface SimPod {
  name: string;
  startMs: number;
}

/** What stays fixed over a simulation. */
export interface WorldConfig {
  hpa: HorizontalPodAutoscaler;
  /** The target's pod template containers (their requests are used), if known. */
  containers?: Container[];
  /** Each pod's request of every resource a metric names, when there is no template. */
  requestMilli?: bigint;
  podReadyDelayMs: number;
}

/** The load at one instant, split the way the pods report it. */
export interface Load {
  /** What each Ready pod reports (milli-units); unready pods report 0. */
  perPodMilli: bigint;
  /** The sum over Ready pods (Object and External metrics report it). */
  totalMilli: bigint;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The resources the HPA's Resource/ContainerResource metrics name, and the container to load. */
function resourcesOf(hpa: HorizontalPodAutoscaler): { resources: string[]; container?: string } {
  const metrics = effectiveMetrics(hpa.spec);
  const resources = new Set<string>();
  let container: string | undefined;
  for (const m of metrics) {
    const name = m.resource?.name ?? m.containerResource?.name;
    if (name !== undefined && (m.type === 'Resource' || m.type === 'ContainerResource')) {
      resources.add(name);
    }
    container ??= m.type === 'ContainerResource' ? m.containerResource?.container : undefined;
  }
  return { resources: [...resources], ...(container !== undefined ? { container } : {}) };
}

/** The containers of every simulated pod, and which of them carries the load. */
export function podContainers(cfg: WorldConfig): { containers: Container[]; loaded: string } {
  const { resources, container } = resourcesOf(cfg.hpa);
  if (cfg.containers && cfg.containers.length > 0) {
    return { containers: cfg.containers, loaded: container ?? cfg.containers[0]?.name ?? '' };
  }
  const requests = Object.fromEntries(
    resources.map((r) => [r, formatMilli(cfg.requestMilli ?? 0n)]),
  );
  const name = container ?? 'app';
  return { containers: [{ name, resources: { requests } }], loaded: name };
}

/** Pod objects as the lister would return them at `nowMs`. */
export function podObjects(
  pods: readonly SimPod[],
  ready: ReadonlySet<string>,
  cfg: WorldConfig,
): Pod[] {
  const { containers } = podContainers(cfg);
  return pods.map((p) => {
    const isReady = ready.has(p.name);
    const transitionMs = isReady ? p.startMs + cfg.podReadyDelayMs : p.startMs;
    return {
      metadata: { name: p.name, namespace: cfg.hpa.metadata.namespace ?? 'default' },
      spec: { containers },
      status: {
        phase: 'Running',
        startTime: iso(p.startMs),
        conditions: [
          {
            type: 'Ready',
            status: isReady ? 'True' : 'False',
            lastTransitionTime: iso(transitionMs),
          },
        ],
      },
    };
  });
}

/** The pods Ready at `nowMs`: started at least the ready delay ago, oldest first, up to `cap`. */
export function readyPods(
  pods: readonly SimPod[],
  nowMs: number,
  delayMs: number,
  cap?: number,
): Set<string> {
  const started = pods
    .filter((p) => p.startMs + delayMs <= nowMs)
    .sort((a, b) => a.startMs - b.startMs);
  return new Set(started.slice(0, cap ?? started.length).map((p) => p.name));
}

/** The world at one sync, as metricDataFor reads it. */
export interface Snapshot {
  pods: readonly SimPod[];
  ready: ReadonlySet<string>;
  load: Load;
  nowMs: number;
}

function resourceData({ pods, ready, load, nowMs }: Snapshot, cfg: WorldConfig): MetricData {
  const { containers, loaded } = podContainers(cfg);
  const { resources } = resourcesOf(cfg.hpa);
  return pods.map((p) => ({
    metadata: { name: p.name, namespace: cfg.hpa.metadata.namespace ?? 'default' },
    timestamp: iso(nowMs),
    window: '15s',
    containers: containers.map((c) => {
      const value = c.name === loaded && ready.has(p.name) ? load.perPodMilli : 0n;
      return {
        name: c.name ?? '',
        usage: Object.fromEntries(resources.map((r) => [r, formatMilli(value)])),
      };
    }),
  }));
}

/** The fetched data for one metric spec. */
export function metricDataFor(spec: MetricSpec, world: Snapshot, cfg: WorldConfig): MetricData {
  const { pods, ready, load, nowMs } = world;
  const timestamp = iso(nowMs);
  switch (spec.type) {
    case 'Pods':
      return pods.map((p) => ({
        describedObject: { kind: 'Pod', name: p.name },
        metric: { name: spec.pods?.metric.name ?? '' },
        timestamp,
        value: formatMilli(ready.has(p.name) ? load.perPodMilli : 0n),
      }));
    case 'Object':
      return [
        {
          describedObject: spec.object?.describedObject ?? { kind: '', name: '' },
          metric: { name: spec.object?.metric.name ?? '' },
          timestamp,
          value: formatMilli(load.totalMilli),
        },
      ];
    case 'External':
      return [
        {
          metricName: spec.external?.metric.name ?? '',
          metricLabels: {},
          timestamp,
          value: formatMilli(load.totalMilli),
        },
      ];
    default:
      return resourceData(world, cfg);
  }
}
