// `kubeproc hpa simulate`: replays a CSV load trace through the exact HPA algorithm
// (kubeproc/autoscaling) on a simulated clock and prints the replica count over time.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { defaultHorizontalPodAutoscaler } from '../apis/autoscaling/defaults.js';
import type { HorizontalPodAutoscaler } from '../apis/autoscaling/types.js';
import { validateHorizontalPodAutoscalerSpec } from '../apis/autoscaling/validation.js';
import { hpaVersions } from '../apis/autoscaling/versions.js';
import type { Container } from '../apis/core/v1/types.js';
import type { KubeObject } from '../apis/meta.js';
import { parseDuration } from './duration.js';
import {
  DEFAULT_DECIDE_OPTIONS,
  effectiveMetrics,
  formatRows,
  milliValue,
  parseTrace,
  simulate,
} from '../autoscaling/index.js';
import type { DecideOptions, SimulationConfig } from '../autoscaling/index.js';
import type { Output } from './output.js';
import { UsageError } from './output.js';

const USAGE = `Usage: kubeproc hpa simulate -f HPA.yaml --trace LOAD.csv [options]

Replays a load trace through the HorizontalPodAutoscaler algorithm of kube-controller-manager
(the same code kubeproc's controller runs) and prints the replica count at every sync.
New pods start on scale-up and turn Ready after --pod-ready-delay; scale-down removes unready
pods first, then the newest. -f may also hold the target Deployment/StatefulSet/ReplicaSet:
its pod template (requests) and replicas are then used.

Options:
  -f, --filename FILE            the HorizontalPodAutoscaler (YAML or JSON, any autoscaling version)
      --trace FILE               the load trace (CSV, below)
  -o, --output table|csv         output format (default table)
      --explain                  add a column explaining each decision
      --replicas N               replicas at time 0 (default: the target's, else minReplicas)
      --request QUANTITY         each pod's request of the metric's resource (utilization
                                 targets) when -f has no target workload, e.g. 500m or 256Mi
      --pod-ready-delay D        how long a new pod takes to become Ready (default 30s)
      --duration D               how long to simulate (default: the trace's last time)
      --sync-period D            --horizontal-pod-autoscaler-sync-period (default 15s)
      --tolerance F              --horizontal-pod-autoscaler-tolerance (default 0.1)
      --cpu-initialization-period D   (default 5m)
      --initial-readiness-delay D     (default 30s)
      --downscale-stabilization D     (default 5m)
  The long kube-controller-manager names (--horizontal-pod-autoscaler-...) work too.
  Durations are Go durations: 500ms, 15s, 5m, 1m30s.

Trace format (CSV; blank lines and # comments are skipped):
  time,total[,ready]     total load of the workload, shared by its Ready pods
  time,per_pod[,ready]   load of each Ready pod
  time     seconds since the start; each row holds until the next one
  load     a quantity in the metric's unit: cores for cpu (250m, 1.5), bytes for memory
           (300Mi), the metric's value for Pods/Object/External metrics. One load column
           drives every metric of the HPA; Object and External metrics see the total.
  ready    optional: at most this many pods are Ready (to simulate failures)
Example:
  time,total
  0,1
  60,4.5
  600,0.5`;

const OPTIONS = {
  filename: { type: 'string', short: 'f' },
  trace: { type: 'string' },
  output: { type: 'string', short: 'o' },
  explain: { type: 'boolean' },
  replicas: { type: 'string' },
  request: { type: 'string' },
  'pod-ready-delay': { type: 'string' },
  duration: { type: 'string' },
  'sync-period': { type: 'string' },
  tolerance: { type: 'string' },
  'cpu-initialization-period': { type: 'string' },
  'initial-readiness-delay': { type: 'string' },
  'downscale-stabilization': { type: 'string' },
  'horizontal-pod-autoscaler-sync-period': { type: 'string' },
  'horizontal-pod-autoscaler-tolerance': { type: 'string' },
  'horizontal-pod-autoscaler-cpu-initialization-period': { type: 'string' },
  'horizontal-pod-autoscaler-initial-readiness-delay': { type: 'string' },
  'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | boolean>>;

function flag(values: Values, short: keyof typeof OPTIONS): string | undefined {
  const long = `horizontal-pod-autoscaler-${short}` as keyof typeof OPTIONS;
  const value = values[short] ?? values[long];
  return typeof value === 'string' ? value : undefined;
}

function durationFlag(values: Values, name: keyof typeof OPTIONS, fallbackMs: number): number {
  const text = flag(values, name);
  return text === undefined ? fallbackMs : parseDuration(name, text, true);
}

function toStorage(obj: KubeObject): HorizontalPodAutoscaler {
  const info = hpaVersions.find((v) => `autoscaling/${v.version}` === obj.apiVersion);
  if (!info) {
    throw new UsageError(
      `unsupported HorizontalPodAutoscaler apiVersion "${obj.apiVersion ?? ''}"`,
    );
  }
  const hpa = (info.toStorage ? info.toStorage(obj) : obj) as HorizontalPodAutoscaler;
  defaultHorizontalPodAutoscaler(hpa);
  const errors = validateHorizontalPodAutoscalerSpec(hpa.spec, 1);
  if (errors.length > 0) {
    throw new UsageError(
      `the HorizontalPodAutoscaler is invalid: ${errors.map((e) => `${e.field}: ${e.detail}`).join(', ')}`,
    );
  }
  return hpa;
}

/** What -f provides: the HPA (stored form, defaulted) and its target's template and replicas. */
export interface Manifests {
  hpa: HorizontalPodAutoscaler;
  containers?: Container[];
  replicas?: number;
}

/** Reads the HPA and, when present, its scale target from YAML/JSON documents. */
export function loadManifests(text: string): Manifests {
  const objects = parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .flatMap((o) =>
      (o as { kind?: string } | null)?.kind === 'List'
        ? ((o as { items?: unknown[] }).items ?? [])
        : [o],
    )
    .filter((o): o is KubeObject => typeof o === 'object' && o !== null);
  const raw = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
  if (!raw) {
    throw new UsageError('no HorizontalPodAutoscaler found in -f');
  }
  const hpa = toStorage(raw);
  const ref = hpa.spec.scaleTargetRef;
  const target = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name);
  const spec = (target?.spec ?? {}) as {
    replicas?: number;
    template?: { spec?: { containers?: Container[] } };
  };
  return {
    hpa,
    ...(spec.template?.spec?.containers ? { containers: spec.template.spec.containers } : {}),
    ...(typeof spec.replicas === 'number' ? { replicas: spec.replicas } : {}),
  };
}

function needsRequests(hpa: HorizontalPodAutoscaler): boolean {
  return effectiveMetrics(hpa.spec).some(
    (m) => (m.resource ?? m.containerResource)?.target.averageUtilization != null,
  );
}

/** The simulation config that `simulate ARGS` means (files are read through readFile). */
export function simulationConfig(
  args: string[],
  readFile: (path: string) => string,
): SimulationConfig {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (typeof values.filename !== 'string' || typeof values.trace !== 'string') {
    throw new UsageError('hpa simulate needs -f HPA.yaml and --trace LOAD.csv');
  }
  const manifests = loadManifests(readFile(values.filename));
  const request = requestFlag(values);
  if (needsRequests(manifests.hpa) && !manifests.containers && request === undefined) {
    throw new UsageError(
      "a utilization target needs the pods' requests: add the target workload to -f or pass --request",
    );
  }
  const durationMs = durationFlag(values, 'duration', -1);
  return {
    hpa: manifests.hpa,
    ...(manifests.containers ? { containers: manifests.containers } : {}),
    ...(request !== undefined ? { requestMilli: request } : {}),
    podReadyDelayMs: durationFlag(values, 'pod-ready-delay', 30_000),
    trace: parseTrace(readFile(values.trace)),
    initialReplicas:
      replicasFlag(values) ?? manifests.replicas ?? manifests.hpa.spec.minReplicas ?? 1,
    syncPeriodMs: Math.max(durationFlag(values, 'sync-period', 15_000), 1),
    ...(durationMs >= 0 ? { durationMs } : {}),
    options: decideOptions(values),
  };
}

function requestFlag(values: Values): bigint | undefined {
  if (typeof values.request !== 'string') {
    return undefined;
  }
  try {
    return milliValue(values.request);
  } catch {
    throw new UsageError(
      `invalid --request "${values.request}": expected a quantity such as 500m or 256Mi`,
    );
  }
}

function replicasFlag(values: Values): number | undefined {
  if (typeof values.replicas !== 'string') {
    return undefined;
  }
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new UsageError(`invalid --replicas "${values.replicas}": expected a whole number`);
  }
  return replicas;
}

function decideOptions(values: Values): DecideOptions {
  const d = DEFAULT_DECIDE_OPTIONS;
  const text = flag(values, 'tolerance');
  const tolerance = text === undefined ? d.tolerance : Number(text);
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new UsageError(`invalid --tolerance "${text ?? ''}": expected a fraction such as 0.1`);
  }
  const window = 'downscale-stabilization';
  return {
    tolerance,
    cpuInitializationPeriodMs: durationFlag(
      values,
      'cpu-initialization-period',
      d.cpuInitializationPeriodMs,
    ),
    initialReadinessDelayMs: durationFlag(
      values,
      'initial-readiness-delay',
      d.initialReadinessDelayMs,
    ),
    downscaleStabilizationWindowMs: durationFlag(values, window, d.downscaleStabilizationWindowMs),
  };
}

const isHelpFlag = (arg: string): boolean => arg === '--help' || arg === '-h';

/** `kubeproc hpa ...` without the promise: returns the exit code, throws usage errors. */
function runHpa(args: string[], out: Output, readFile: (path: string) => string): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || [sub, ...rest].some(isHelpFlag)) {
    out.print(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'simulate') {
    throw new UsageError(`unknown hpa command "${sub}"; expected simulate`);
  }
  const { values } = parseArgs({
    args: rest,
    options: OPTIONS,
    strict: true,
    allowPositionals: false,
  });
  const output = values.output ?? 'table';
  if (output !== 'table' && output !== 'csv') {
    throw new UsageError(`invalid --output "${output}": expected table or csv`);
  }
  const rows = simulate(simulationConfig(rest, readFile));
  for (const line of formatRows(rows, output, values.explain === true)) {
    out.print(line);
  }
  return 0;
}

/** Runs `kubeproc hpa ...`; resolves with the exit code (rejects with a UsageError). */
export function hpa(
  args: string[],
  out: Output,
  readFile = (path: string) => readFileSync(path, 'utf8'),
): Promise<number> {
  return Promise.resolve().then(() => runHpa(args, out, readFile));
}
