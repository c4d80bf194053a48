// The node agent's side of pods/log, exec, attach and port-forward: finds the pod's worker and the
// container's files or process, with the kubelet's messages when there is nothing to serve yet.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { dialInNetns } from './netns-dial.js';
import type { KubeObject } from '../../apis/meta.js';
import type {
  ExecRequest,
  ExecSession,
  LogSource,
  PodNodeBackend,
  StreamBackend,
} from '../../lib/pod-streams.js';
import { badRequest } from '../../lib/errors.js';
import { readLogs } from '../runtime/read-logs.js';
import type { NodeAgent } from './agent.js';
import type { ContainerRecord } from './container-record.js';
import type { PodWorker } from './pod-worker.js';
import type { ProcessLauncher } from './process-launcher.js';

/** Runs exec / attach sessions in a container (the sandbox's job). */
export interface ContainerStreams {
  exec(worker: PodWorker, record: ContainerRecord, request: ExecRequest): Promise<ExecSession>;
  attach?(worker: PodWorker, record: ContainerRecord, request: ExecRequest): Promise<ExecSession>;
}

export class NodeBackend implements PodNodeBackend {
  constructor(
    private readonly agent: NodeAgent,
    private readonly launcher: ProcessLauncher,
    private readonly streams?: ContainerStreams,
  ) {}

  logs(pod: KubeObject, container: string, previous: boolean): LogSource {
    const { worker, record } = this.find(pod, container);
    const podName = pod.metadata.name ?? '';
    let run = record.restartCount;
    if (previous) {
      if (!record.lastTerminated || record.restartCount === 0) {
        throw badRequest(
          `previous terminated container "${container}" in pod "${podName}" not found`,
        );
      }
      run = record.restartCount - 1;
    } else if (record.containerID === '') {
      const reason = record.state.kind === 'waiting' ? record.state.reason : 'ContainerCreating';
      throw badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: ${reason}`,
      );
    }
    const file = this.launcher.logPath(worker.uid, container, run);
    const instance = record.containerID;
    return {
      read: (opts, signal) =>
        readLogs(file, {
          tailLines: opts.tailLines,
          sinceTime: opts.since ?? opts.sinceTime,
          timestamps: opts.timestamps,
          limitBytes: opts.limitBytes,
          follow: opts.follow && !previous,
          signal,
          isRunning: () => record.containerID === instance && record.state.kind === 'running',
        }),
    };
  }

  stream(pod: KubeObject, container: string): StreamBackend {
    const uid = pod.metadata.uid ?? '';
    const backend: StreamBackend = {
      portForward: {
        dial: (_ns, _pod, port) => this.dial(uid, port),
      },
    };
    const streams = this.streams;
    if (streams) {
      backend.exec = (request) => {
        const { worker, record } = this.running(pod, container);
        return streams.exec(worker, record, request);
      };
      if (streams.attach) {
        const attach = streams.attach.bind(streams);
        backend.attach = (request) => {
          const { worker, record } = this.running(pod, container);
          return attach(worker, record, request);
        };
      }
    }
    return backend;
  }

  private find(pod: KubeObject, container: string): { worker: PodWorker; record: ContainerRecord } {
    const podName = pod.metadata.name ?? '';
    const worker = this.agent.workerFor(pod.metadata.namespace ?? '', podName);
    const record = worker?.containers().find((r) => r.name === container);
    if (!worker || !record) {
      throw badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`,
      );
    }
    return { worker, record };
  }

  private running(
    pod: KubeObject,
    container: string,
  ): { worker: PodWorker; record: ContainerRecord } {
    const found = this.find(pod, container);
    if (found.record.state.kind !== 'running') {
      throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name ?? ''}`);
    }
    return found;
  }

  private async dial(uid: string, port: number): Promise<Duplex> {
    const hostPort = this.launcher.portMap(uid)[String(port)] ?? port;
    const ns = this.launcher.podNamespacesOf(uid);
    try {
      return await connectTo(this.launcher.podIPOf(uid), hostPort);
    } catch (err) {
      // A server bound to the pod's loopback only: reach it from inside the pod's namespace.
      if (ns && (err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
        return dialInNetns(ns.nsenter, ns.netnsFile, port).catch((inner: unknown) => {
          throw refused(port, inner);
        });
      }
      throw refused(port, err);
    }
  }
}

function connectTo(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function refused(port: number, err: unknown): Error {
  const why = err instanceof Error ? err.message : String(err);
  return new Error(`failed to connect to localhost:${port} inside namespace: ${why}`);
}
