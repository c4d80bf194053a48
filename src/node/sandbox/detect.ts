// Whether this machine can give each container its own PID namespace and /proc: Linux, root,
// util-linux's unshare and nsenter, and a trial run of both. Otherwise a plain reason.
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { SHELL, UNSHARE_FLAGS } from './launch.js';
import { waitForChild } from './proc-tree.js';

/** What detectSandbox found: the tools to use, or why pods share the host's process space. */
export type SandboxSupport =
  | { pidNamespaces: true; unshare: string; nsenter: string; setsid: string }
  | { pidNamespaces: false; reason: string };

const SHARED = "pods share the host's process space";
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const TRIAL_TIMEOUT_MS = 5000;

/** Tests for real whether containers can run in their own PID namespace. */
export async function detectSandbox(
  opts: { searchPath?: string; isRoot?: boolean } = {},
): Promise<SandboxSupport> {
  if (process.platform !== 'linux') {
    return unavailable(`PID namespaces need Linux (this is ${process.platform})`);
  }
  if (!(opts.isRoot ?? process.getuid?.() === 0)) {
    return unavailable('not running as root (a PID namespace needs CAP_SYS_ADMIN)');
  }
  const tools = await findTools(opts.searchPath ?? `${process.env.PATH ?? ''}:${SYSTEM_PATH}`);
  const missing = Object.entries(tools).filter(([, file]) => file === '');
  if (missing.length > 0) {
    const names = missing.map(([name]) => name).join(', ');
    return unavailable(`${names} (util-linux) not found in PATH`);
  }
  const { unshare, nsenter, setsid } = tools;
  try {
    await trialRun(unshare, nsenter);
  } catch (err) {
    return unavailable(`a trial run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { pidNamespaces: true, unshare, nsenter, setsid };
}

function unavailable(cause: string): SandboxSupport {
  return { pidNamespaces: false, reason: `${SHARED}: ${cause}` };
}

async function findTools(
  searchPath: string,
): Promise<{ unshare: string; nsenter: string; setsid: string }> {
  return {
    unshare: (await findExecutable('unshare', searchPath)) ?? '',
    nsenter: (await findExecutable('nsenter', searchPath)) ?? '',
    setsid: (await findExecutable('setsid', searchPath)) ?? '',
  };
}

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(':').filter((d) => d.startsWith('/'))) {
    const file = path.join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return undefined;
}

// The namespace must show its own /proc (PID 1 is the init), and nsenter must reach it.
async function trialRun(unshare: string, nsenter: string): Promise<void> {
  // A glob, not ls: nothing else runs in the namespace while it counts.
  const script = 'set -- /proc/[0-9]*; echo "$$ $#"; read x';
  const holder = spawn(unshare, [...UNSHARE_FLAGS, '--', SHELL, '-c', script], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<string>((resolve) => {
    holder.once('error', (err) => resolve(err.message));
    // 'close', not 'exit': by then stderr has been read to its end.
    holder.once('close', (code, signal) => resolve(`unshare exited (${signal ?? code})`));
  });
  try {
    const [pid, count] = (await firstLine(holder.stdout, stderrOf(holder), exited)).split(' ');
    if (pid !== '1' || count !== '1') {
      throw new Error(`expected PID 1 and its own /proc, got pid ${pid} with ${count} processes`);
    }
    const init = await waitForChild(holder.pid ?? 0, { timeoutMs: TRIAL_TIMEOUT_MS });
    if (init === undefined) {
      throw new Error('the namespace init did not appear');
    }
    const entered = await run(nsenter, [
      `--target=${init}`,
      '--pid',
      '--mount',
      '--',
      SHELL,
      '-c',
      'cat /proc/1/comm',
    ]);
    if (entered.trim() !== 'sh') {
      throw new Error(`nsenter saw ${JSON.stringify(entered.trim())} as PID 1`);
    }
  } finally {
    holder.stdin.end();
    killQuietly(holder.pid);
    await exited;
  }
}

// The trial's group may be gone already (unshare failed at once).
function killQuietly(pid: number | undefined): void {
  // Never -0: that would be our own process group.
  if (pid === undefined || pid <= 0) {
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}

function stderrOf(child: ReturnType<typeof spawn>): () => string {
  let text = '';
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text.trim();
}

function firstLine(
  out: NodeJS.ReadableStream,
  stderr: () => string,
  exited: Promise<string>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('timed out')), TRIAL_TIMEOUT_MS);
    out.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.split('\n')[0] ?? '');
      }
    });
    void exited.then((why) => {
      clearTimeout(timer);
      reject(new Error(stderr() || why));
    });
  });
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(err.trim() || `exit status ${code}`)),
    );
  });
}
