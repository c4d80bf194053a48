// What the demo's steps share: where to talk, kubectl, the Ingress URL, the request tally and
// what happened so far (for the summary).
import type { Kubectl } from './kubectl.js';
import type { Narrator } from './narrator.js';
import type { RequestTally } from './tally.js';
import type { Trickle } from './traffic.js';
import type { Workspace } from './instance.js';

export const APP = 'hello-world-flask';
export const IMAGE = 'ghostwritten/hello-world-flask:latest';
export const SELECTOR = `app=${APP}`;

/** How python3 dies: killall inside the pod (own PID namespace) or SIGKILL from the host. */
export type KillMethod = 'killall' | 'signal';

export interface DemoReport {
  pods: string[];
  killedPod?: string;
  /** From the kill until the pod answered again through the Ingress. */
  rejoinedAfterMs?: number;
  restarts?: number;
  /** Replica counts the HPA set, in order, starting with the initial one. */
  replicaHistory: number[];
  loadRequests?: number;
  loadMs?: number;
  /** From the end of the load until the HPA was back at its minimum. */
  scaleDownMs?: number;
}

export interface DemoContext {
  narrator: Narrator;
  kubectl: Kubectl;
  signal: AbortSignal;
  ingressUrl: string;
  ws: Workspace;
  tally: RequestTally;
  /** The steady requests (the tutorials' curl loop), from step 2 to the end. */
  trickle: Trickle;
  killMethod: KillMethod;
  /** Pods have their own IPs (isolated network mode) rather than host ports. */
  isIsolatedNetwork: boolean;
  concurrency: number;
  report: DemoReport;
  /** With --step: waits for Enter. */
  pause(): Promise<void>;
}
