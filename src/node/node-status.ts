// The node agent's link to the API: registers this machine as a Node, renews its Lease and
// reports node status on change or every 5 minutes (upstream kubelet_node_status.go, nodelease).
import type { Logger } from 'pino';
import type { KubeObject } from '../apis/meta.js';
import type { Client } from '../client/client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { NODES } from '../client/resources.js';
import { realClock } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';
import { isAlreadyExists, isConflict, isNotFound } from '../lib/errors.js';
import { DEFAULT_LEASE_DURATION_SECONDS, NodeLease } from './lease.js';
import { readMachineInfo } from './machine.js';
import type { MachineInfo } from './machine.js';
import {
  DEFAULT_KUBELET_PORT,
  DEFAULT_MAX_PODS,
  buildNodeStatus,
  initialNode,
  nodeStatusEventMessage,
  nodeStatusHasChanged,
  reconcileExistingNode,
} from './node-status-setters.js';
import type { NodeConfig, NodeEvent, NodeStatus } from './node-status-setters.js';

/** nodeStatusUpdateFrequency: how often status is computed (and written if changed). */
export const DEFAULT_STATUS_UPDATE_INTERVAL_MS = 10_000;
/** nodeStatusReportFrequency: an unchanged status is still written this often. */
export const DEFAULT_STATUS_REPORT_INTERVAL_MS = 5 * 60_000;
const NODE_STATUS_UPDATE_RETRY = 5;
const REGISTER_MAX_BACKOFF_MS = 7_000;

export interface NodeStatusReporterDeps {
  client: Client;
  log: Logger;
  clock?: Clock;
  /** Defaults to this machine's hostname, lower-cased (as --hostname-override would set). */
  nodeName?: string;
  /** Lease renewal period; the kubelet renews at a quarter of the 40 s lease duration. */
  leaseIntervalMs?: number;
  leaseDurationSeconds?: number;
  statusUpdateIntervalMs?: number;
  statusReportIntervalMs?: number;
  internalIP?: string;
  maxPods?: number;
  kubeletPort?: number;
  /** Extra labels to register with, e.g. `node-role.kubernetes.io/control-plane: ''`. */
  labels?: Record<string, string>;
  /** The filesystem whose size is the node's ephemeral-storage. */
  rootDir?: string;
  /** The OS boundary; tests may pass a FakeMachine reader. */
  readMachine?: () => MachineInfo;
  /** Why pods run without cgroup limits, when they do. */
  resourceLimitsUnavailable?: string;
}

export class NodeStatusReporter {
  readonly nodeName: string;
  private readonly cfg: NodeConfig;
  private readonly client: Client;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly readMachine: () => MachineInfo;
  private readonly recorder: EventRecorder;
  private readonly lease: NodeLease;
  private readonly leaseIntervalMs: number;
  private readonly statusUpdateIntervalMs: number;
  private readonly statusReportIntervalMs: number;
  private lastReportAt = 0;
  // Starts as "schedulable", so a node found cordoned at start yields NodeNotSchedulable.
  private lastUnschedulable = false;

  constructor(deps: NodeStatusReporterDeps) {
    const rootDir = deps.rootDir ?? '/';
    this.readMachine = deps.readMachine ?? (() => readMachineInfo(rootDir));
    this.cfg = nodeConfig(deps, () => this.readMachine().hostname);
    const hostname = this.cfg.nodeName;
    this.nodeName = hostname;
    this.client = deps.client;
    this.log = deps.log;
    this.clock = deps.clock ?? realClock;
    const leaseDurationSeconds = deps.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS;
    this.leaseIntervalMs = deps.leaseIntervalMs ?? leaseDurationSeconds * 250;
    this.statusUpdateIntervalMs = deps.statusUpdateIntervalMs ?? DEFAULT_STATUS_UPDATE_INTERVAL_MS;
    this.statusReportIntervalMs = deps.statusReportIntervalMs ?? DEFAULT_STATUS_REPORT_INTERVAL_MS;
    this.recorder = new EventRecorder(
      deps.client,
      'kubelet',
      deps.log,
      () => this.clock.now(),
      hostname,
    );
    this.lease = new NodeLease({
      client: deps.client,
      log: deps.log,
      clock: this.clock,
      nodeName: hostname,
      leaseDurationSeconds,
    });
  }

  /** Registers the Node, then heartbeats until signal aborts; resolves once stopped. */
  async start(signal: AbortSignal): Promise<void> {
    this.event({ type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' });
    await this.registerWithApiServer(signal);
    await Promise.all([
      this.loop(signal, this.leaseIntervalMs, () => this.lease.renew(), 'renewing node lease'),
      this.loop(
        signal,
        this.statusUpdateIntervalMs,
        () => this.syncNodeStatus(),
        'updating node status',
      ),
    ]);
    await this.recorder.flush();
  }

  /** Computes status and writes it when it changed or the report interval passed. */
  async syncNodeStatus(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tryUpdateNodeStatus();
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= NODE_STATUS_UPDATE_RETRY) {
          throw err;
        }
      }
    }
  }

  private async tryUpdateNodeStatus(): Promise<void> {
    const node = await this.client.get(NODES, '', this.nodeName);
    this.recordSchedulableEvent(node);
    const now = this.clock.now();
    const old = (node.status ?? {}) as Partial<NodeStatus>;
    const { status, events } = buildNodeStatus(this.cfg, this.readMachine(), old, now);
    const merged = { ...old, ...status };
    const isDue = now.getTime() - this.lastReportAt >= this.statusReportIntervalMs;
    if (!isDue && !nodeStatusHasChanged(old, merged)) {
      return;
    }
    await this.client.updateStatus(NODES, { ...node, status: merged });
    this.lastReportAt = now.getTime();
    events.forEach((e) => this.event(e));
  }

  /** Retries registration with backoff (100 ms doubling to 7 s) until it succeeds or stops. */
  private async registerWithApiServer(signal: AbortSignal): Promise<void> {
    for (
      let delayMs = 100;
      !signal.aborted;
      delayMs = Math.min(delayMs * 2, REGISTER_MAX_BACKOFF_MS)
    ) {
      try {
        await this.tryRegister();
        return;
      } catch (err) {
        this.log.warn({ err, node: this.nodeName }, 'unable to register node with API server');
      }
      await sleep(delayMs, signal);
    }
  }

  private async tryRegister(): Promise<void> {
    const now = this.clock.now();
    const machine = this.readMachine();
    const { node, events } = initialNode(this.cfg, machine, now);
    try {
      await this.client.create(NODES, node);
      this.lastReportAt = now.getTime();
      this.log.info({ node: this.nodeName }, 'successfully registered node');
      events.forEach((e) => this.event(e));
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) {
        throw err;
      }
    }
    // Re-registering (a restart): keep the Node (and its cordon), fix the labels we own.
    const existing = await this.client.get(NODES, '', this.nodeName);
    const fixed = reconcileExistingNode(existing, this.cfg, machine);
    if (fixed) {
      await this.client.update(NODES, fixed);
    }
    await this.syncNodeStatus();
  }

  private recordSchedulableEvent(node: KubeObject): void {
    const isUnschedulable = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable;
    if (!!isUnschedulable !== this.lastUnschedulable) {
      this.lastUnschedulable = !!isUnschedulable;
      const reason = isUnschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.event({
        type: 'Normal',
        reason,
        message: nodeStatusEventMessage(this.nodeName, reason),
      });
    }
  }

  private event(e: NodeEvent): void {
    // The kubelet's node reference carries the node name as its uid.
    const ref: KubeObject = { kind: 'Node', metadata: { name: this.nodeName, uid: this.nodeName } };
    this.recorder.event(ref, e.type, e.reason, e.message);
  }

  /** Runs fn every intervalMs (from the end of the previous run); failures retry sooner. */
  private async loop(
    signal: AbortSignal,
    intervalMs: number,
    fn: () => Promise<void>,
    what: string,
  ): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await fn();
        failures = 0;
      } catch (err) {
        failures++;
        if (isNotFound(err)) {
          this.log.warn({ node: this.nodeName }, `${what}: node not found`);
        } else {
          this.log.warn({ err, node: this.nodeName }, what);
        }
      }
      const delayMs = failures ? Math.min(200 * 2 ** (failures - 1), intervalMs) : intervalMs;
      await sleep(delayMs, signal);
    }
  }
}

/** The registration settings, with the kubelet's defaults. */
function nodeConfig(deps: NodeStatusReporterDeps, machineHostname: () => string): NodeConfig {
  const hostname = deps.nodeName?.toLowerCase() ?? machineHostname();
  return {
    nodeName: hostname,
    hostname,
    internalIP: deps.internalIP ?? '127.0.0.1',
    maxPods: deps.maxPods ?? DEFAULT_MAX_PODS,
    kubeletPort: deps.kubeletPort ?? DEFAULT_KUBELET_PORT,
    labels: deps.labels ?? {},
    ...(deps.resourceLimitsUnavailable
      ? { resourceLimitsUnavailable: deps.resourceLimitsUnavailable }
      : {}),
  };
}

/** Resolves after ms, or at once when signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
