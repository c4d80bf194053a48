import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSameProcess, readContainerState, readProcStat } from './container-state.js';
import { ContainerStartError, killGroup, startContainer } from './process-runtime.js';
import type { ContainerSpec, RunningContainer } from './process-runtime.js';
import { readLogs } from './read-logs.js';

let podDir = '';
const started: RunningContainer[] = [];

beforeEach(async () => {
  podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-runtime-'));
});

afterEach(async () => {
  for (const c of started.splice(0)) {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
  }
  await rm(podDir, { recursive: true, force: true });
});

async function run(
  spec: Partial<ContainerSpec> & { command: string[] },
): Promise<RunningContainer> {
  const c = await startContainer({ name: 'app', podDir, restartCount: 0, ...spec });
  started.push(c);
  return c;
}

async function collect(iter: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of iter) {
    out.push(line);
  }
  return out;
}

// A killed child may stay a zombie until init reaps it; that no longer runs.
async function isAlive(pid: number): Promise<boolean> {
  const s = await readProcStat(pid);
  return s !== undefined && s.state !== 'Z';
}

describe('startContainer', () => {
  it.each([
    { script: 'exit 0', exitCode: 0, reason: 'Completed' },
    { script: 'exit 3', exitCode: 3, reason: 'Error' },
    { script: 'kill -KILL $$', exitCode: 137, reason: 'Error', signal: 'SIGKILL' },
  ])('reports `$script` as $reason ($exitCode)', async ({ script, exitCode, reason, signal }) => {
    const exit = await (await run({ command: ['sh', '-c', script] })).wait();
    expect(exit).toMatchObject({ exitCode, reason, signal });
    expect(exit.finishedAt).toBeInstanceOf(Date);
  });

  it('writes stdout and stderr as CRI lines and reads them back as kubectl does', async () => {
    const c = await run({ command: ['sh', '-c', 'echo hello; echo oops >&2; printf tail'] });
    await c.wait();
    const raw = await readFile(c.logPath, 'utf8');
    const cri = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) F .*$/;
    expect(
      raw
        .trimEnd()
        .split('\n')
        .filter((l) => !cri.test(l)),
    ).toEqual([]);
    expect(raw).toContain(' stderr F oops\n');
    expect((await collect(readLogs(c.logPath))).sort()).toEqual(['hello\n', 'oops\n', 'tail\n']);
    const stamped = await collect(readLogs(c.logPath, { timestamps: true, tailLines: 1 }));
    expect(stamped).toHaveLength(1);
    expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (hello|oops|tail)\n$/);
  });

  it('runs command + args without a shell, with env and workingDir only as given', async () => {
    const c = await run({
      command: ['/bin/echo', '$HOME', '*'],
      args: ['$(FOO)'],
      env: { FOO: 'bar' },
    });
    await c.wait();
    expect(await collect(readLogs(c.logPath))).toEqual(['$HOME * $(FOO)\n']);
    const d = await run({
      name: 'env',
      command: ['sh', '-c', 'echo "$FOO $PWD $HOME"'],
      env: { FOO: 'bar' },
      workingDir: podDir,
    });
    await d.wait();
    expect(await collect(readLogs(d.logPath))).toEqual([`bar ${podDir} \n`]);
  });

  it('runs in its own process group and records its identity in a state file', async () => {
    const c = await run({ command: ['sleep', '30'] });
    const procStat = await readProcStat(c.pid);
    expect(procStat?.pgid).toBe(c.pid);
    const state = await readContainerState(c.statePath);
    expect(state).toMatchObject({
      pid: c.pid,
      restartCount: 0,
      command: [expect.stringMatching(/\/sleep$/), '30'],
    });
    expect(await isSameProcess(state)).toBe(true);
    expect(await isSameProcess({ ...state, procStartTime: state.procStartTime + 1 })).toBe(false);
    await c.stop(5);
    expect(await isSameProcess(state)).toBe(false);
  });

  it('stop sends SIGTERM to the group and the exit says so', async () => {
    const c = await run({ command: ['sh', '-c', 'sleep 30 & echo $!; wait'] });
    const child = await waitForLine(c.logPath);
    const exit = await c.stop(10);
    expect(exit).toMatchObject({ signal: 'SIGTERM', exitCode: 143, reason: 'Error' });
    expect(await isAlive(Number(child))).toBe(false);
  });

  it('stop sends SIGKILL to the group after the grace period when SIGTERM is ignored', async () => {
    const c = await run({ command: ['sh', '-c', 'trap "" TERM; sleep 30 & echo $!; wait'] });
    const child = await waitForLine(c.logPath);
    const begun = Date.now();
    const exit = await c.stop(1);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(950);
    expect(exit).toMatchObject({ signal: 'SIGKILL', exitCode: 137 });
    expect(await isAlive(Number(child))).toBe(false);
  });

  it('ends the rest of the group when the main process exits', async () => {
    const c = await run({ command: ['sh', '-c', 'sleep 30 & echo $!; sleep 0.3'] });
    const child = await waitForLine(c.logPath);
    await c.wait();
    await expect.poll(() => isAlive(Number(child)), { timeout: 2000 }).toBe(false);
  });
});

describe('startContainer errors', () => {
  it.each([
    {
      command: ['no-such-cmd-xyz'],
      message: 'exec: "no-such-cmd-xyz": executable file not found in $PATH',
    },
    { command: ['/no/such/file'], message: 'exec: "/no/such/file": no such file or directory' },
    { command: ['NOTEXEC'], message: 'permission denied' },
    { command: ['/tmp'], message: 'exec: "/tmp": is a directory' },
    {
      command: ['sh'],
      workingDir: '/no/such/dir',
      message: 'chdir to cwd ("/no/such/dir") set in config.json failed: no such file or directory',
    },
    { command: [], message: 'no command specified' },
  ])('$command $workingDir: $message', async ({ command, workingDir, message }) => {
    const file = path.join(podDir, 'plain.txt');
    await writeFile(file, 'not a program');
    await chmod(file, 0o644);
    const cmd = command.map((c) => (c === 'NOTEXEC' ? file : c));
    const err = await startContainer({
      name: 'bad',
      podDir,
      restartCount: 0,
      command: cmd,
      workingDir,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err).toMatchObject({ reason: 'RunContainerError' });
    expect((err as Error).message).toContain(message);
  });
});

describe('logs', () => {
  it('rotates once at the size cap and reads across both files', async () => {
    const c = await run({
      command: ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done'],
      logMaxBytes: 4096,
    });
    await c.wait();
    expect((await stat(c.logPath)).size).toBeLessThanOrEqual(4096);
    expect((await stat(`${c.logPath}.1`)).size).toBeLessThanOrEqual(4096);
    const lines = await collect(readLogs(c.logPath));
    expect(lines.at(-1)).toBe('line-299\n');
    expect(lines.length).toBeLessThan(300);
    expect(await collect(readLogs(c.logPath, { tailLines: 2 }))).toEqual([
      'line-298\n',
      'line-299\n',
    ]);
    expect(await collect(readLogs(c.logPath, { tailLines: 1, limitBytes: 4 }))).toEqual(['line']);
    expect(
      await collect(readLogs(c.logPath, { sinceTime: new Date(Date.now() + 60_000) })),
    ).toEqual([]);
  });

  it('follows a running container until it exits', async () => {
    const c = await run({
      command: ['sh', '-c', 'for i in 1 2 3; do echo tick-$i; sleep 0.2; done'],
      logPumpIntervalMs: 20,
    });
    let running = true;
    void c.wait().then(() => (running = false));
    const lines = await collect(
      readLogs(c.logPath, { follow: true, isRunning: () => running, pollMs: 20 }),
    );
    expect(lines).toEqual(['tick-1\n', 'tick-2\n', 'tick-3\n']);
  });

  it('stops following when the signal aborts', async () => {
    const c = await run({ command: ['sh', '-c', 'echo one; sleep 30'], logPumpIntervalMs: 20 });
    const abort = new AbortController();
    const lines: string[] = [];
    for await (const line of readLogs(c.logPath, {
      follow: true,
      signal: abort.signal,
      pollMs: 20,
    })) {
      lines.push(line);
      abort.abort();
    }
    expect(lines).toEqual(['one\n']);
  });
});

async function waitForLine(logPath: string): Promise<string> {
  let first = '';
  await expect
    .poll(async () => (first = (await collect(readLogs(logPath)))[0]?.trim() ?? ''), {
      timeout: 5000,
      message: 'waiting for the first log line',
    })
    .not.toBe('');
  return first;
}
