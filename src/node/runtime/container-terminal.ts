// Spawns a container (`tty: true`) on a pseudo-terminal the agent holds (node-pty): the terminal
// carries stdout and stderr together, appended to the raw stdout file as the CRI logs a terminal.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { signalName } from '../sandbox/launch.js';
import type { ProcessEnd } from './container-process.js';
import { ContainerStdio } from './container-stdio.js';

/** The first size of a container's terminal; kubectl sends the real one when it attaches. */
const DEFAULT_SIZE = { cols: 80, rows: 24 };

/** Options of spawnOnTerminal. */
export interface TerminalSpawnOptions {
  cwd: string;
  env: Record<string, string>;
  /** The raw stdout file: the terminal's output is appended to it. */
  stdout: string;
  stdin: boolean;
  stdinOnce: boolean;
}

/**
 * Starts a launch argv on a new terminal. The process leads its own session and process group
 * (forkpty), so stop signals reach it as they reach a detached child. Cgroup errors of the
 * launch script go to the terminal (there is no status pipe), hence into the log.
 */
export async function spawnOnTerminal(
  argv: string[],
  opts: TerminalSpawnOptions,
): Promise<{ pid: number; exited: Promise<ProcessEnd>; stdio: ContainerStdio }> {
  const pty = await import('node-pty');
  const log = createWriteStream(opts.stdout, { flags: 'a' });
  const logDone = finished(log).catch(() => undefined);
  const term = pty.spawn(argv[0] ?? '', argv.slice(1), {
    name: opts.env.TERM ?? 'xterm',
    ...DEFAULT_SIZE,
    cwd: opts.cwd,
    env: opts.env,
    // Bytes, not strings: a UTF-8 sequence split between reads must stay intact.
    encoding: null,
  });
  const stdio = ContainerStdio.forTerminal(term, opts.stdin, opts.stdinOnce);
  term.onData((data: string | Buffer) => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    log.write(chunk);
    stdio.output(chunk);
  });
  const exited = new Promise<ProcessEnd>((resolve) => {
    // node-pty reports the exit once the terminal's output has been read to its end.
    term.onExit(({ exitCode, signal }) => {
      log.end();
      stdio.finishOutput();
      const name = signal ? (signalName(signal) ?? null) : null;
      void logDone.then(() => resolve({ code: name ? null : exitCode, signal: name }));
    });
  });
  return { pid: term.pid, exited, stdio };
}
