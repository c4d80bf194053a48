// The round-trip annotations of HorizontalPodAutoscaler conversion. The behavior annotation holds
// Kubernetes' internal Go struct as encoding/json writes it: Go field names, nil pointers as null.
import type { ObjectMeta } from '../meta.js';
import { asArray, asRecord } from './field.js';
import type {
  HPAScalingPolicy,
  HPAScalingRules,
  HorizontalPodAutoscalerBehavior,
} from './types.js';
import { ROUND_TRIP_ANNOTATIONS } from './types.js';

/** A copy of the annotations without the ones conversion owns (DropRoundTripHPAAnnotations). */
export function dropRoundTripAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  const out = { ...(annotations ?? {}) };
  for (const key of ROUND_TRIP_ANNOTATIONS) {
    delete out[key];
  }
  return out;
}

/** Writes annotations back onto metadata, omitting an empty map as Go's omitempty does. */
export function setAnnotations(meta: ObjectMeta, annotations: Record<string, string>): void {
  if (Object.keys(annotations).length > 0) {
    meta.annotations = annotations;
  } else {
    delete meta.annotations;
  }
}

function encodeRules(rules: HPAScalingRules | undefined): unknown {
  if (!rules) {
    return null;
  }
  return {
    StabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? null,
    SelectPolicy: rules.selectPolicy ?? null,
    Policies: rules.policies
      ? rules.policies.map((p) => ({
          Type: p.type,
          Value: p.value,
          PeriodSeconds: p.periodSeconds,
        }))
      : null,
  };
}

/** The `autoscaling.alpha.kubernetes.io/behavior` value for a behavior. */
export function encodeBehavior(behavior: HorizontalPodAutoscalerBehavior): string {
  return JSON.stringify({
    ScaleUp: encodeRules(behavior.scaleUp),
    ScaleDown: encodeRules(behavior.scaleDown),
  });
}

/** Go's encoding/json matches keys case-insensitively; so must we. */
function field(obj: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

class Malformed extends Error {}

function optional<T>(value: unknown, type: 'number' | 'string'): T | undefined {
  if (value == null) {
    return undefined;
  }
  if (typeof value !== type) {
    throw new Malformed();
  }
  return value as T;
}

function decodePolicy(raw: unknown): HPAScalingPolicy {
  const p = asRecord(raw);
  if (!p) {
    throw new Malformed();
  }
  return {
    type: optional<string>(field(p, 'Type'), 'string') ?? '',
    value: optional<number>(field(p, 'Value'), 'number') ?? 0,
    periodSeconds: optional<number>(field(p, 'PeriodSeconds'), 'number') ?? 0,
  };
}

function decodeRules(raw: unknown): HPAScalingRules | undefined {
  if (raw == null) {
    return undefined;
  }
  const r = asRecord(raw);
  if (!r) {
    throw new Malformed();
  }
  const out: HPAScalingRules = {};
  const window = optional<number>(field(r, 'StabilizationWindowSeconds'), 'number');
  const select = optional<string>(field(r, 'SelectPolicy'), 'string');
  const policies = field(r, 'Policies');
  if (window !== undefined) {
    out.stabilizationWindowSeconds = window;
  }
  if (select !== undefined) {
    out.selectPolicy = select;
  }
  if (policies != null) {
    if (!Array.isArray(policies)) {
      throw new Malformed();
    }
    out.policies = asArray(policies).map(decodePolicy);
  }
  return out;
}

/**
 * Reads the behavior annotation. Malformed JSON, or a behavior with neither direction set, yields
 * undefined: upstream only moves well-formed data from annotations to fields.
 */
export function decodeBehavior(text: string): HorizontalPodAutoscalerBehavior | undefined {
  try {
    const raw = asRecord(JSON.parse(text));
    if (!raw) {
      return undefined;
    }
    const scaleUp = decodeRules(field(raw, 'ScaleUp'));
    const scaleDown = decodeRules(field(raw, 'ScaleDown'));
    if (!scaleUp && !scaleDown) {
      return undefined;
    }
    return { ...(scaleUp && { scaleUp }), ...(scaleDown && { scaleDown }) };
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof Malformed) {
      return undefined;
    }
    throw e;
  }
}

/** Parses a JSON list annotation; anything but a JSON array is ignored, as upstream does. */
export function decodeList(text: string | undefined): unknown[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : value === null ? [] : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) {
      return undefined;
    }
    throw e;
  }
}
