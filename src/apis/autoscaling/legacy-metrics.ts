// Conversion between autoscaling/v2 metric specs/statuses and the older shape shared by
// autoscaling/v2beta1 and the autoscaling/v1 metrics annotations (targetAverageUtilization,
// metricName, targetValue, object.target ...). Field order follows the Go structs.
import type { LabelSelector } from '../meta.js';
import { asRecord, str } from './field.js';
import { canonicalQuantity } from './quantity.js';
import type {
  CrossVersionObjectReference,
  MetricSpec,
  MetricStatus,
  MetricTarget,
  MetricValueStatus,
} from './types.js';

type Rec = Record<string, unknown>;

/** A Quantity as encoding/json writes it (canonical string); a nil non-pointer Quantity is "0". */
export const q = (v: unknown): string | undefined =>
  v == null ? undefined : (canonicalQuantity(v) as string);
const q0 = (v: unknown): string => q(v) ?? '0';

function ref(v: unknown): CrossVersionObjectReference {
  const r = asRecord(v) ?? {};
  const out: CrossVersionObjectReference = { kind: str(r.kind), name: str(r.name) };
  if (r.apiVersion) {
    out.apiVersion = str(r.apiVersion);
  }
  return out;
}

/** Copies only the fields that are set, so JSON output omits the rest as omitempty does. */
function compact<T extends object>(obj: T): T {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) {
      delete (obj as Rec)[k];
    }
  }
  return obj;
}

const selector = (v: unknown): LabelSelector | undefined => asRecord(v);
const int = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function objectToLegacy(o: NonNullable<MetricSpec['object']>): Rec {
  return compact({
    target: ref(o.describedObject),
    metricName: str(o.metric?.name),
    targetValue: q0(o.target?.value),
    selector: selector(o.metric?.selector),
    averageValue: q(o.target?.averageValue),
  });
}

function resourceToLegacy(r: { name: string; target: MetricTarget }, container?: string): Rec {
  return compact({
    name: str(r.name),
    targetAverageUtilization: int(r.target?.averageUtilization),
    targetAverageValue: q(r.target?.averageValue),
    container,
  });
}

function externalToLegacy(e: NonNullable<MetricSpec['external']>): Rec {
  return compact({
    metricName: str(e.metric?.name),
    metricSelector: selector(e.metric?.selector),
    targetValue: q(e.target?.value),
    targetAverageValue: q(e.target?.averageValue),
  });
}

/** autoscaling/v2 MetricSpec -> the v2beta1 / v1-annotation MetricSpec. */
export function metricSpecToLegacy(spec: MetricSpec): Rec {
  const out: Rec = { type: spec.type };
  if (spec.object) {
    out.object = objectToLegacy(spec.object);
  }
  if (spec.pods) {
    out.pods = compact({
      metricName: str(spec.pods.metric?.name),
      targetAverageValue: q0(spec.pods.target?.averageValue),
      selector: selector(spec.pods.metric?.selector),
    });
  }
  if (spec.resource) {
    out.resource = resourceToLegacy(spec.resource);
  }
  if (spec.containerResource) {
    const c = spec.containerResource;
    out.containerResource = resourceToLegacy(c, str(c.container));
  }
  if (spec.external) {
    out.external = externalToLegacy(spec.external);
  }
  return out;
}

function legacyObjectToV2(o: Rec): MetricSpec['object'] {
  const average = q(o.averageValue);
  return {
    describedObject: ref(o.target),
    target: compact({
      type: average === undefined ? 'Value' : 'AverageValue',
      value: q0(o.targetValue),
      averageValue: average,
    }),
    metric: compact({ name: str(o.metricName), selector: selector(o.selector) }),
  };
}

function legacyResourceTarget(r: Rec): { name: string; target: MetricTarget } {
  const utilization = int(r.targetAverageUtilization);
  return {
    name: str(r.name),
    target: compact({
      type: utilization === undefined ? 'AverageValue' : 'Utilization',
      averageValue: q(r.targetAverageValue),
      averageUtilization: utilization,
    }),
  };
}

function legacyExternalToV2(e: Rec): MetricSpec['external'] {
  const value = q(e.targetValue);
  return {
    metric: compact({ name: str(e.metricName), selector: selector(e.metricSelector) }),
    target: compact({
      type: value === undefined ? 'AverageValue' : 'Value',
      value,
      averageValue: q(e.targetAverageValue),
    }),
  };
}

/** The v2beta1 / v1-annotation MetricSpec -> autoscaling/v2 MetricSpec. */
export function legacyMetricSpecToV2(raw: unknown): MetricSpec {
  const m = asRecord(raw) ?? {};
  const out: MetricSpec = { type: str(m.type) };
  const [o, p, r, c, e] = ['object', 'pods', 'resource', 'containerResource', 'external'].map((k) =>
    asRecord(m[k]),
  );
  if (o) {
    out.object = legacyObjectToV2(o);
  }
  if (p) {
    out.pods = {
      metric: compact({ name: str(p.metricName), selector: selector(p.selector) }),
      target: { type: 'AverageValue', averageValue: q0(p.targetAverageValue) },
    };
  }
  if (r) {
    out.resource = legacyResourceTarget(r);
  }
  if (c) {
    out.containerResource = { ...legacyResourceTarget(c), container: str(c.container) };
  }
  if (e) {
    out.external = legacyExternalToV2(e);
  }
  return out;
}

const cur = (c: MetricValueStatus | undefined): MetricValueStatus => c ?? {};

type StatusSource = [key: keyof MetricStatus, convert: (s: MetricStatus) => Rec];

// One converter per source field, in the Go struct's field order.
const STATUS_TO_LEGACY: StatusSource[] = [
  [
    'object',
    ({ object: o }) =>
      compact({
        target: ref(o?.describedObject),
        metricName: str(o?.metric?.name),
        currentValue: q0(cur(o?.current).value),
        selector: selector(o?.metric?.selector),
        averageValue: q(cur(o?.current).averageValue),
      }),
  ],
  [
    'pods',
    ({ pods: p }) =>
      compact({
        metricName: str(p?.metric?.name),
        currentAverageValue: q0(cur(p?.current).averageValue),
        selector: selector(p?.metric?.selector),
      }),
  ],
  ['resource', ({ resource: r }) => resourceStatusToLegacy(r)],
  ['containerResource', ({ containerResource: c }) => resourceStatusToLegacy(c, str(c?.container))],
  [
    'external',
    ({ external: e }) =>
      compact({
        metricName: str(e?.metric?.name),
        metricSelector: selector(e?.metric?.selector),
        currentValue: q0(cur(e?.current).value),
        currentAverageValue: q(cur(e?.current).averageValue),
      }),
  ],
];

function resourceStatusToLegacy(
  r: { name: string; current: MetricValueStatus } | undefined,
  container?: string,
): Rec {
  return compact({
    name: str(r?.name),
    currentAverageUtilization: int(cur(r?.current).averageUtilization),
    currentAverageValue: q0(cur(r?.current).averageValue),
    container,
  });
}

/** autoscaling/v2 MetricStatus -> the v2beta1 / v1-annotation MetricStatus. */
export function metricStatusToLegacy(status: MetricStatus): Rec {
  const out: Rec = { type: status.type };
  for (const [key, convert] of STATUS_TO_LEGACY) {
    if (status[key]) {
      out[key] = convert(status);
    }
  }
  return out;
}

function legacyResourceStatus(r: Rec): { name: string; current: MetricValueStatus } {
  return {
    name: str(r.name),
    current: compact({
      averageValue: q0(r.currentAverageValue),
      averageUtilization: int(r.currentAverageUtilization),
    }),
  };
}

/** The v2beta1 / v1-annotation MetricStatus -> autoscaling/v2 MetricStatus. */
export function legacyMetricStatusToV2(raw: unknown): MetricStatus {
  const m = asRecord(raw) ?? {};
  const out: MetricStatus = { type: str(m.type) };
  const [o, p, r, c, e] = ['object', 'pods', 'resource', 'containerResource', 'external'].map((k) =>
    asRecord(m[k]),
  );
  if (o) {
    out.object = {
      metric: compact({ name: str(o.metricName), selector: selector(o.selector) }),
      current: compact({ value: q0(o.currentValue), averageValue: q(o.averageValue) }),
      describedObject: ref(o.target),
    };
  }
  if (p) {
    out.pods = {
      metric: compact({ name: str(p.metricName), selector: selector(p.selector) }),
      current: { averageValue: q0(p.currentAverageValue) },
    };
  }
  if (r) {
    out.resource = legacyResourceStatus(r);
  }
  if (c) {
    out.containerResource = { ...legacyResourceStatus(c), container: str(c.container) };
  }
  if (e) {
    out.external = {
      metric: compact({ name: str(e.metricName), selector: selector(e.metricSelector) }),
      current: compact({ value: q0(e.currentValue), averageValue: q(e.currentAverageValue) }),
    };
  }
  return out;
}
