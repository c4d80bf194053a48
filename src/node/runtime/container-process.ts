// Spawns a launch argv (sandbox/launch.ts) as a detached process group whose output goes straight
// to files, and waits on its status pipe: EOF means "joined the cgroups, about to exec".
import { spawn } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { ContainerStartError } from './command.js';

/** How a process ended, as Node reports it. */
export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of spawnContainerProcess. */
export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  /** Give the process a pipe as stdin (held by the agent) instead of /dev/null. */
  stdin?: boolean;
}

/** A process that is past its launch script. */
export interface SpawnedProcess {
  pid: number;
  exited: Promise<ProcessEnd>;
  /** The write end of its stdin pipe, when asked for. */
  stdin?: Writable;
}

// Output goes straight to files the process owns, so it never gets SIGPIPE when the agent dies.
/** Starts `argv` (a launch argv); rejects with ContainerStartError when it cannot join its cgroups. */
export async function spawnContainerProcess(
  argv: string[],
  opts: SpawnOptions,
): Promise<SpawnedProcess> {
  const [file, ...args] = argv;
  const out = await open(opts.stdout, 'a');
  const err = await open(opts.stderr, 'a');
  let started;
  try {
    started = await spawnDetached(file ?? '', args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.stdin ? 'pipe' : 'ignore', out.fd, err.fd, 'pipe'],
    });
  } finally {
    await out.close();
    await err.close();
  }
  const { pid, exited, status, stdin } = started;
  const failure = (await status).trim();
  if (failure !== '' && failure !== 'ok') {
    stdin?.destroy();
    killGroup(pid, 'SIGKILL');
    await exited;
    // A namespace's init reports its mount steps on the same pipe, tagged.
    const fromInit = /^kubeproc-init: (.*)$/s.exec(failure)?.[1];
    throw new ContainerStartError('RunContainerError', fromInit ?? `adding to cgroup: ${failure}`);
  }
  return { pid, exited, stdin };
}

/** A detached child that has spawned; `status` is all its fd 3 (the status pipe) carried. */
export async function spawnDetached(
  file: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; stdio: StdioOptions },
): Promise<{
  pid: number;
  exited: Promise<ProcessEnd>;
  status: Promise<string>;
  stdin?: Writable;
}> {
  const child = spawn(file, args, { ...opts, detached: true });
  // Read at once: Node drains a quick child's pipes on its exit, before a later listener.
  const pipe = child.stdio[3] as Readable | null | undefined;
  const status = pipe ? readStatusLine(pipe) : Promise.resolve('');
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (e) {
    throw new ContainerStartError(
      'RunContainerError',
      `exec: ${JSON.stringify(file)}: ${String(e)}`,
    );
  }
  // Listen before any other await: a quick process may exit during the caller's next step.
  const exited = new Promise<ProcessEnd>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // unref: the agent may exit while containers run; they are adopted again on restart.
  child.unref();
  if (child.pid === undefined) {
    throw new ContainerStartError('RunContainerError', `exec: ${JSON.stringify(file)}: no pid`);
  }
  return { pid: child.pid, exited, status, stdin: child.stdin ?? undefined };
}

/**
 * The status pipe's verdict: its first line, or all it carried when it closed. A namespace's
 * init writes one line (`ok` or its failure) while unshare, waiting, still holds the pipe open.
 */
export function readStatusLine(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = (): void => {
      stream.off('data', onData);
      resolve(text);
    };
    const onData = (d: Buffer): void => {
      text += d.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        text = text.slice(0, nl);
        done();
        stream.destroy();
      }
    };
    stream.on('data', onData);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/** Everything a stream gives until it ends. */
export function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.once('error', () => resolve(text));
    stream.once('close', () => resolve(text));
  });
}

/** Signals a whole process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  // Never -0 or a negative id: kill(0) would signal the agent's own group.
  if (!(pgid > 0)) {
    return;
  }
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}

/** Signals one process; one that is already gone is not an error. */
export function killProcess(pid: number, signal: NodeJS.Signals): void {
  if (!(pid > 0)) {
    return;
  }
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}
