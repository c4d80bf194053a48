// Shared shapes of the prober: probe kinds and results, what a probe runs against, the timers it
// waits on, and the defensive reading of a probe's timing fields (pkg/apis/core/v1 defaults).
import type { EnvVar, Probe } from '../../apis/core/v1/types.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** A thresholded result as kept per container (pkg/kubelet/prober/results). */
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** One probe run: pkg/probe's (Result, output, error) folded into one value. */
export interface ProbeOutcome {
  result: ProbeResult;
  message: string;
  /** The run errored (upstream returns a non-nil error): the worker throws the result away. */
  isError?: boolean;
  /** A success upstream reports as probe.Warning: a redirect the prober did not follow. */
  isWarning?: boolean;
}

/** What a runtime reports for a command run in a container (CRI ExecSync). */
export interface ExecResult {
  exitCode: number;
  stdout?: string;
  stderr?: string;
  /** The runtime killed the command at its timeout. */
  isTimedOut?: boolean;
}

/** The container a probe runs against, as the node agent's runtime sees it. */
export interface ProbeTarget {
  /** status.podIP: the default host of httpGet and tcpSocket, the only host of grpc. */
  ip: string;
  /** A named container port's number (spec.containers[].ports[].name). */
  resolvePort?(name: string): number | undefined;
  /** Host network mode: the host port a container port is really served on (ADR 0005). */
  mapPort?(containerPort: number): number | undefined;
  /** Runs a command in the container; throws when the runtime cannot run it at all. */
  exec?(command: string[], timeoutMs: number): Promise<ExecResult>;
  /** The container's env: exec commands expand `$(NAME)` from the static values. */
  env?: EnvVar[];
}

export interface RunProbeOptions {
  /** Aborting ends the probe at once with an error outcome (worker shutdown). */
  signal?: AbortSignal;
  /** Sent as User-Agent by httpGet and grpc unless the probe sets one. */
  userAgent?: string;
}

/** The kubelet version the prober claims to be: `kube-probe/<major>.<minor>`. */
export const PROBE_USER_AGENT = 'kube-probe/1.32';

/** Timers the worker waits on; tests pass a FakeTimers. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's own timers. */
export const realTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A probe's timing with upstream defaults filled in where a field is unset or out of range. */
export interface ProbeTiming {
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** Reads a probe's timing fields; API defaulting normally set them already. */
export function probeTiming(probe: Probe): ProbeTiming {
  const delay = probe.initialDelaySeconds;
  return {
    initialDelaySeconds: delay !== undefined && delay > 0 ? Math.floor(delay) : 0,
    timeoutSeconds: positiveInt(probe.timeoutSeconds, 1),
    periodSeconds: positiveInt(probe.periodSeconds, 10),
    successThreshold: positiveInt(probe.successThreshold, 1),
    failureThreshold: positiveInt(probe.failureThreshold, 3),
  };
}

/** `Liveness`, `Readiness`, `Startup`: how events name a probe kind. */
export function kindTitle(kind: ProbeKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}
