// How a container run ended, as the node agent reports it: exit code, signal and reason
// (Completed, Error, OOMKilled), or ContainerStatusUnknown when the status was lost.
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { signalFromStatus } from '../sandbox/launch.js';

/** The kubelet's reason and message for a container whose status is gone (kubelet_pods.go). */
export const STATUS_UNKNOWN_REASON = 'ContainerStatusUnknown';
export const STATUS_UNKNOWN_MESSAGE =
  'The container could not be located when the pod was terminated';

/** How a container ended. exitCode is 128 + signal number when a signal ended it. */
export interface ContainerExit {
  exitCode?: number;
  signal?: string;
  reason: 'Completed' | 'Error' | 'OOMKilled' | typeof STATUS_UNKNOWN_REASON;
  /** Set with ContainerStatusUnknown. */
  message?: string;
  finishedAt: Date;
}

/** The exit of a process we waited on; `isNamespaceInit` when the status came from the init. */
export function toExit(
  end: { code: number | null; signal: NodeJS.Signals | null },
  oomKilled: boolean,
  isNamespaceInit = false,
): ContainerExit {
  const signal =
    end.signal ?? (isNamespaceInit && end.code !== null ? signalFromStatus(end.code) : undefined);
  const exitCode = end.signal
    ? 128 + (constants.signals[end.signal] ?? 0)
    : (end.code ?? undefined);
  const reason = oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  return { exitCode, signal: signal ?? undefined, reason, finishedAt: new Date() };
}

/** As upstream for a container the runtime lost: exit code 137, ContainerStatusUnknown. */
export function unknownExit(): ContainerExit {
  return {
    exitCode: 137,
    reason: STATUS_UNKNOWN_REASON,
    message: STATUS_UNKNOWN_MESSAGE,
    finishedAt: new Date(),
  };
}

/** The status a namespace init wrote (a number), or undefined when there is none. */
export async function readExitFile(file: string | undefined): Promise<number | undefined> {
  if (file === undefined) {
    return undefined;
  }
  const text = await readFile(file, 'utf8').catch(() => '');
  return /^\d+\s*$/.test(text) ? Number(text) : undefined;
}
