// The runtime side of the streaming contract. These mirror src/api/streaming/types.ts
// (ExecSession, ExecExit, TerminalSize) structurally: node/ may not import api/ (docs/STYLE.md),
// and TypeScript's structural typing lets the API server take these sessions as they are.
import type { Readable, Writable } from 'node:stream';
import type { ContainerCgroup } from '../runtime/cgroup-container.js';

/** A terminal size as kubectl reports it (columns and rows). */
export interface TerminalSize {
  width: number;
  height: number;
}

/** How a session ended: an exit code (0-255), or a failure such as `signal: killed`. */
export type ExecExit = { exitCode: number } | { error: string };

/** One running exec, as the streaming layer consumes it. */
export interface ExecSession {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  resize?(size: TerminalSize): void;
  exit: Promise<ExecExit>;
  abort(): void;
}

/** Where and how to run a command in a container. */
export interface ExecTarget {
  /** Host pid of the container's namespace init; undefined when pods share the host's pids. */
  targetPid?: number;
  /** util-linux's nsenter and setsid (detectSandbox's result); needed with targetPid. */
  sandbox?: { nsenter: string; setsid: string };
  /** The pod's network and UTS namespace files (isolated network mode). */
  podNamespaces?: { nsenter: string; netnsFile: string; utsFile: string };
  /** The container's cgroup: the command joins it before exec, as runc exec does. */
  cgroup?: ContainerCgroup;
  /** The container's environment (PATH defaulted as for the container). */
  env: Record<string, string>;
  /** The container's working directory (default /). */
  workingDir?: string;
}

/** Options of execInContainer. */
export interface ExecOptions extends ExecTarget {
  command: string[];
  stdin: boolean;
  tty: boolean;
  /** The first terminal size (tty only); kubectl sends the real one right after connecting. */
  size?: TerminalSize;
}
