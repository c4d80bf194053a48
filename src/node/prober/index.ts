// The prober's public surface for the node agent: running a probe once, per-probe workers, the
// per-container set of workers, and the FakeTimers that tests drive them with.
export { ContainerProbes } from './container-probes.js';
export type { ContainerProbesDeps, ContainerRuntimeStatus } from './container-probes.js';
export { FakeTimers } from './fake-timers.js';
export { probeContainer, runProbe } from './prober.js';
export type { CountedOutcome, ProbeContainerOptions, ProbeEvent } from './prober.js';
export { PROBE_USER_AGENT, probeTiming, realTimers } from './types.js';
export type {
  ExecResult,
  ProbeKind,
  ProbeOutcome,
  ProbeResult,
  ProbeTarget,
  ProbeTiming,
  RunProbeOptions,
  Timers,
} from './types.js';
export { ProbeWorker } from './worker.js';
export type { ProbeContainerStatus, ProbeResultHandler, ProbeWorkerDeps } from './worker.js';
