// kubectl exec's runtime side against real containers: into the PID namespace (root only) and on
// the host, with pipes and with a pseudo-terminal; exit codes, signals, missing commands, cgroups.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox } from '../sandbox/detect.js';
import { CgroupManager, detectCgroups } from '../runtime/cgroups.js';
import type { ContainerCgroup } from '../runtime/cgroups.js';
import { limitsFor } from '../runtime/cgroup-limits.js';
import { readProcStat } from '../runtime/container-state.js';
import { killGroup, startContainer } from '../runtime/process-runtime.js';
import type { RunningContainer } from '../runtime/process-runtime.js';
import { ExecStartError, execInContainer } from './exec-in-container.js';
import type { ExecExit, ExecOptions, ExecSession } from './types.js';

const sandbox = await detectSandbox();
const cgroups = await detectCgroups();
if (!sandbox.pidNamespaces) {
  console.warn(`skipping exec-into-namespace tests: ${sandbox.reason}`);
}
const ENV = { FOO: 'bar' };

let podDir = '';
let manager: CgroupManager | undefined;
const containers: RunningContainer[] = [];

beforeAll(async () => {
  podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-exec-'));
  if (cgroups.available) {
    const root = `kubepods-test-${randomBytes(4).toString('hex')}`;
    manager = new CgroupManager(cgroups, { root });
  }
});

afterAll(async () => {
  for (const c of containers) {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
  }
  await manager?.removeRoot();
  await rm(podDir, { recursive: true, force: true });
});

/** A running `sleep` container; with a namespace when `ns`, in its own cgroup when there are any. */
async function container(
  name: string,
  ns: boolean,
): Promise<{ c: RunningContainer; target: Omit<ExecOptions, 'command' | 'stdin' | 'tty'> }> {
  const cgroup: ContainerCgroup | undefined = await manager?.createContainer({
    qos: 'BestEffort',
    podUid: 'p1',
    container: name,
    limits: limitsFor(undefined),
  });
  const c = await startContainer({
    name,
    podDir,
    restartCount: 0,
    command: ['sleep', '1000'],
    env: ENV,
    cgroup,
    pidNamespace: ns && sandbox.pidNamespaces ? sandbox : undefined,
  });
  containers.push(c);
  const tools = sandbox.pidNamespaces ? sandbox : undefined;
  return {
    c,
    target: { targetPid: c.namespacePid, sandbox: tools, cgroup, env: ENV, workingDir: podDir },
  };
}

async function drain(stream: Readable | undefined): Promise<string> {
  let text = '';
  for await (const chunk of stream ?? []) {
    text += String(chunk);
  }
  return text;
}

async function finish(
  session: ExecSession,
): Promise<{ exit: ExecExit; stdout: string; stderr: string }> {
  const [stdout, stderr, exit] = await Promise.all([
    drain(session.stdout),
    drain(session.stderr),
    session.exit,
  ]);
  return { exit, stdout, stderr };
}

const modes = [
  { mode: 'host', ns: false },
  { mode: 'PID namespace', ns: true },
].filter((m) => !m.ns || sandbox.pidNamespaces);

describe.each(modes)('exec ($mode)', ({ mode, ns }) => {
  let target: Awaited<ReturnType<typeof container>>['target'];
  let c: RunningContainer;

  beforeAll(async () => {
    ({ c, target } = await container(`app-${ns ? 'ns' : 'host'}`, ns));
  });

  const exec = (command: string[], more: Partial<ExecOptions> = {}): Promise<ExecSession> =>
    execInContainer({ ...target, command, stdin: false, tty: false, ...more });

  it.each([
    { script: 'echo out; echo err >&2', exit: { exitCode: 0 }, stdout: 'out\n', stderr: 'err\n' },
    { script: 'exit 3', exit: { exitCode: 3 }, stdout: '', stderr: '' },
    { script: 'kill -KILL $$', exit: { error: 'signal: killed' }, stdout: '', stderr: '' },
    { script: 'kill -TERM $$', exit: { error: 'signal: terminated' }, stdout: '', stderr: '' },
  ])('`$script` ends as $exit', async ({ script, exit, stdout, stderr }) => {
    expect(await finish(await exec(['sh', '-c', script]))).toEqual({ exit, stdout, stderr });
  });

  it('passes stdin through and ends it when the client does', async () => {
    const session = await exec(['cat'], { stdin: true });
    session.stdin?.end('hello\n');
    expect(await finish(session)).toEqual({ exit: { exitCode: 0 }, stdout: 'hello\n', stderr: '' });
  });

  it('runs with exactly the container env, in its working directory', async () => {
    const { stdout } = await finish(await exec(['sh', '-c', 'pwd; /usr/bin/env | sort']));
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(podDir);
    expect(lines.slice(1)).toEqual([
      'FOO=bar',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `PWD=${podDir}`,
    ]);
  });

  it('fails before starting when the command does not exist, worded as containerd does', async () => {
    const err = await exec(['no-such-cmd-xyz']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecStartError);
    expect((err as Error).message).toMatch(
      /^failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "no-such-cmd-xyz": executable file not found in \$PATH: unknown$/,
    );
  });

  it.runIf(cgroups.available)('joins the container cgroup before exec', async () => {
    const { stdout } = await finish(await exec(['cat', '/proc/self/cgroup']));
    expect(stdout).toContain(`:memory:/${target.cgroup?.relPath}\n`);
  });

  // The container's cgroup holds the container and every exec in it: back to its own processes
  // means nothing of the exec is left.
  const settled = async (): Promise<void> => {
    const own = c.namespacePid === undefined ? 1 : 3;
    await expect
      .poll(async () => (await target.cgroup?.pids())?.length ?? own, {
        timeout: 5000,
        message: `waiting for the exec's processes to end (${mode})`,
      })
      .toBe(own);
  };

  it('abort() ends the command and its group', async () => {
    const session = await exec(['sh', '-c', 'sleep 1000 & echo started; wait']);
    const out = drain(session.stdout);
    session.abort();
    expect(await session.exit).toEqual({ error: 'signal: killed' });
    await out;
    await settled();
  });

  it('abort() hangs up a terminal session, interactive shell included', async () => {
    const session = await exec(['sh', '-i'], { tty: true, stdin: true });
    let out = '';
    session.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    // A foreground job: the hang-up reaches it. (A background job outlives the session, in the
    // container, as it does under runc.)
    // The quotes keep the terminal's echo of the line from matching.
    session.stdin?.write('echo "sta""rted"; sleep 1000\n');
    await expect.poll(() => out, { timeout: 5000, message: 'the shell ran' }).toContain('started');
    session.abort();
    expect(await session.exit).toMatchObject({ error: expect.stringMatching(/^signal: /) });
    await settled();
  });

  it('runs a command on a terminal: size, resize, exit code', async () => {
    const session = await exec(['sh'], { tty: true, stdin: true, size: { width: 80, height: 24 } });
    let out = '';
    session.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    session.stdin?.write('tty; stty size\n');
    await expect.poll(() => out, { timeout: 5000, message: 'first stty size' }).toContain('24 80');
    session.resize?.({ width: 100, height: 30 });
    session.stdin?.write('stty size; echo "[$TERM]"; exit 7\n');
    expect(await session.exit).toEqual({ exitCode: 7 });
    expect(out).toContain('30 100');
    expect(out).toContain('/dev/pts/');
    expect(out).toContain('[xterm]');
    expect(session.stderr).toBeUndefined();
  });
});

describe.runIf(sandbox.pidNamespaces)('exec into a PID namespace', () => {
  it('sees the container app as PID 2 and nothing of the host', async () => {
    const { target } = await container('seen', true);
    const session = await execInContainer({
      ...target,
      command: ['ps', '-e', '-o', 'pid=,comm='],
      stdin: false,
      tty: false,
    });
    const { stdout, exit } = await finish(session);
    expect(exit).toEqual({ exitCode: 0 });
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(rows.slice(0, 2)).toEqual([
      ['1', 'sh'],
      ['2', 'sleep'],
    ]);
    expect(rows.length).toBeLessThanOrEqual(4);
  });

  it("killall, as the seeds run it, kills that pod's process and no other", async () => {
    const a = await container('a', true);
    const b = await container('b', true);
    const hostSleep = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      const session = await execInContainer({
        ...a.target,
        command: ['bash', '-c', 'killall sleep'],
        stdin: false,
        tty: false,
      });
      // killall may itself die with the namespace, when the init ends before it exits.
      expect([{ exitCode: 0 }, { error: 'signal: killed' }]).toContainEqual(
        (await finish(session)).exit,
      );
      expect(await a.c.wait()).toMatchObject({ exitCode: 143, signal: 'SIGTERM', reason: 'Error' });
      expect((await readProcStat(b.c.appPid ?? 0))?.state).toMatch(/[SR]/);
      expect((await readProcStat(hostSleep.pid ?? 0))?.state).toMatch(/[SR]/);
    } finally {
      hostSleep.kill('SIGKILL');
    }
  });

  it('refuses a container whose init is gone', async () => {
    const { c, target } = await container('gone', true);
    await c.stop(0);
    const err = await execInContainer({
      ...target,
      command: ['true'],
      stdin: false,
      tty: false,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /failed to create exec "[0-9a-f]{64}": cannot exec in a stopped state: unknown$/,
    );
  });
});
