// prometheus-adapter's rule configuration (its pkg/config): the YAML shape, loaded strictly as the
// adapter does, and its default rules (cmd/config-gen DefaultConfig), written anew here.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface RegexFilter {
  is?: string;
  isNot?: string;
}

export interface ConfigGroupResource {
  group?: string;
  resource: string;
}

export interface ResourceMapping {
  /** `<<.Group>>`/`<<.Resource>>` template turning a group-resource into a label name. */
  template?: string;
  /** label name -> group-resource, beside (and before) the template. */
  overrides?: Record<string, ConfigGroupResource>;
  /** External rules only: false ignores the requester's namespace. */
  namespaced?: boolean;
}

export interface NameMapping {
  matches?: string;
  as?: string;
}

export interface DiscoveryRule {
  seriesQuery: string;
  seriesFilters?: RegexFilter[];
  resources?: ResourceMapping;
  name?: NameMapping;
  metricsQuery?: string;
}

export interface MetricsDiscoveryConfig {
  rules: DiscoveryRule[];
  externalRules?: DiscoveryRule[];
  /** Accepted so the adapter's files load; kubeproc's metrics server serves resource metrics. */
  resourceRules?: unknown;
}

/** A rule file that is not in the adapter's format. */
export class AdapterConfigError extends Error {
  readonly code = 'AdapterConfigError';
}

type Shape = Record<string, 'string' | 'bool' | 'list' | 'object' | 'map' | 'any'>;

const SHAPES: Record<string, Shape> = {
  MetricsDiscoveryConfig: { rules: 'list', externalRules: 'list', resourceRules: 'any' },
  DiscoveryRule: {
    seriesQuery: 'string',
    seriesFilters: 'list',
    resources: 'object',
    name: 'object',
    metricsQuery: 'string',
  },
  RegexFilter: { is: 'string', isNot: 'string' },
  ResourceMapping: { template: 'string', overrides: 'map', namespaced: 'bool' },
  GroupResource: { group: 'string', resource: 'string' },
  NameMapping: { matches: 'string', as: 'string' },
};

const CHILD: Record<string, string> = {
  'DiscoveryRule.seriesFilters': 'RegexFilter',
  'DiscoveryRule.resources': 'ResourceMapping',
  'DiscoveryRule.name': 'NameMapping',
  'ResourceMapping.overrides': 'GroupResource',
  'MetricsDiscoveryConfig.rules': 'DiscoveryRule',
  'MetricsDiscoveryConfig.externalRules': 'DiscoveryRule',
};

// yaml.UnmarshalStrict: an unknown field or a wrong type is an error, named by Go type.
function check(value: unknown, type: string, path: string, errs: string[]): void {
  if (value === null || value === undefined) {
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    errs.push(`${path}: cannot unmarshal into config.${type}`);
    return;
  }
  const shape = SHAPES[type] ?? {};
  for (const [key, v] of Object.entries(value)) {
    const kind = shape[key];
    const at = path ? `${path}.${key}` : key;
    if (kind === undefined) {
      errs.push(`field ${key} not found in type config.${type}`);
      continue;
    }
    checkField(v, { kind, child: CHILD[`${type}.${key}`] ?? '' }, at, errs);
  }
}

function kindMismatch(v: unknown, kind: Shape[string]): boolean {
  switch (kind) {
    case 'string':
      return typeof v !== 'string';
    case 'bool':
      return typeof v !== 'boolean';
    case 'list':
      return !Array.isArray(v);
    case 'object':
    case 'map':
      return typeof v !== 'object' || Array.isArray(v);
    case 'any':
      return false;
  }
}

function checkField(
  v: unknown,
  field: { kind: Shape[string]; child: string },
  at: string,
  errs: string[],
) {
  const { kind, child } = field;
  if (v === null || v === undefined) {
    return;
  }
  if (kindMismatch(v, kind)) {
    errs.push(`${at}: cannot unmarshal ${Array.isArray(v) ? 'list' : typeof v} as ${kind}`);
    return;
  }
  if (kind === 'list') {
    (v as unknown[]).forEach((item, i) => check(item, child, `${at}[${i}]`, errs));
  } else if (kind === 'map') {
    for (const [k, item] of Object.entries(v)) {
      check(item, child, `${at}.${k}`, errs);
    }
  } else if (kind === 'object') {
    check(v, child, at, errs);
  }
}

/** Parses the adapter's YAML (config.FromYAML), rejecting unknown fields as it does. */
export function configFromYaml(text: string): MetricsDiscoveryConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new AdapterConfigError(
      `unable to parse metrics discovery config: ${(e as Error).message}`,
    );
  }
  const errs: string[] = [];
  check(doc ?? {}, 'MetricsDiscoveryConfig', '', errs);
  if (errs.length > 0) {
    throw new AdapterConfigError(
      `unable to parse metrics discovery config: unmarshal errors:\n  ${errs.join('\n  ')}`,
    );
  }
  const cfg = (doc ?? {}) as Partial<MetricsDiscoveryConfig>;
  return { ...cfg, rules: cfg.rules ?? [] };
}

/** Reads a rule file (config.FromFile). */
export function configFromFile(path: string): MetricsDiscoveryConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AdapterConfigError(
      `unable to load metrics discovery config file: ${(e as Error).message}`,
    );
  }
  return configFromYaml(text);
}

const UNITS: [string, number][] = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** A duration as Prometheus writes one (model.Duration.String): `5m`, `1m30s`, `0s`. */
export function promDuration(ms: number): string {
  if (ms <= 0) {
    return '0s';
  }
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const CONTAINER = '__name__=~"^container_.*",container!="POD",namespace!="",pod!=""';
const POD_NS = { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } };

/**
 * The adapter's default rules (config-gen's DefaultConfig): cAdvisor `container_*` series by pod,
 * every other series with a `<prefix>namespace` label by the `<prefix><resource>` labels it has;
 * `_total` counters become rates over `rateIntervalMs` (config-gen's default is 5m).
 */
export function defaultConfig(rateIntervalMs = 300_000, labelPrefix = ''): MetricsDiscoveryConfig {
  const window = promDuration(rateIntervalMs);
  const containerRate = `sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[${window}])) by (<<.GroupBy>>)`;
  const rate = `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${window}])) by (<<.GroupBy>>)`;
  const normal = `{${labelPrefix}namespace!="",__name__!~"^container_.*"}`;
  const template = `${labelPrefix}<<.Resource>>`;
  return {
    rules: [
      {
        seriesQuery: `{${CONTAINER}}`,
        resources: { overrides: POD_NS },
        name: { matches: '^container_(.*)_seconds_total$' },
        metricsQuery: containerRate,
      },
      {
        seriesQuery: `{${CONTAINER}}`,
        seriesFilters: [{ isNot: '^container_.*_seconds_total$' }],
        resources: { overrides: POD_NS },
        name: { matches: '^container_(.*)_total$' },
        metricsQuery: containerRate,
      },
      {
        seriesQuery: `{${CONTAINER}}`,
        seriesFilters: [{ isNot: '^container_.*_total$' }],
        resources: { overrides: POD_NS },
        name: { matches: '^container_(.*)$' },
        metricsQuery: `sum(<<.Series>>{<<.LabelMatchers>>,container!="POD"}) by (<<.GroupBy>>)`,
      },
      {
        seriesQuery: normal,
        seriesFilters: [{ isNot: '.*_total$' }],
        resources: { template },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
      {
        seriesQuery: normal,
        seriesFilters: [{ isNot: '.*_seconds_total' }],
        name: { matches: '^(.*)_total$' },
        resources: { template },
        metricsQuery: rate,
      },
      {
        seriesQuery: normal,
        name: { matches: '^(.*)_seconds_total$' },
        resources: { template },
        metricsQuery: rate,
      },
    ],
  };
}
