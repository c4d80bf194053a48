// `kubectl exec -t`: the command runs on a pseudo-terminal (node-pty, loaded only when needed);
// its output is the session's stdout, the client's input goes to it, resizes resize it.
import { PassThrough, Writable } from 'node:stream';
import type { IPty } from 'node-pty';
import { killGroup } from '../runtime/container-process.js';
import { execExit } from './exec-command.js';
import type { PreparedExec } from './exec-command.js';
import type { ExecExit, ExecSession, TerminalSize } from './types.js';

const DEFAULT_SIZE: TerminalSize = { width: 80, height: 24 };

/** Spawns a prepared exec on a new pseudo-terminal. */
export async function startPtyExec(
  prepared: PreparedExec,
  opts: { stdin: boolean; size?: TerminalSize },
): Promise<ExecSession> {
  const pty = await import('node-pty');
  const size = opts.size ?? DEFAULT_SIZE;
  const term = pty.spawn(prepared.argv[0] ?? '', prepared.argv.slice(1), {
    name: prepared.env.TERM ?? 'xterm',
    cols: size.width,
    rows: size.height,
    cwd: prepared.cwd,
    env: prepared.env,
    // Bytes, not strings: a UTF-8 sequence split between reads must reach the client intact.
    encoding: null,
  });
  const stdout = new PassThrough();
  term.onData((data: string | Buffer) => stdout.write(data));
  const exit = new Promise<ExecExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      // node-pty reports exit only after the terminal's output has been read to its end.
      stdout.end();
      resolve(execExit(exitCode, signal ?? null));
    });
  });
  return {
    stdin: opts.stdin ? ptyInput(term) : undefined,
    stdout,
    exit,
    resize: ({ width, height }) => {
      if (width > 0 && height > 0) {
        term.resize(width, height);
      }
    },
    // A hang-up: closing the master sends SIGHUP to the terminal's foreground group (an
    // interactive shell has its own); the kill ends nsenter and the rest of the first group.
    abort: () => {
      (term as IPty & { destroy?: () => void }).destroy?.();
      killGroup(term.pid, 'SIGKILL');
    },
  };
}

// Closing the client's stdin does not close a terminal (the shell would see no EOF either way).
function ptyInput(term: IPty): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      term.write(chunk);
      callback();
    },
  });
}
