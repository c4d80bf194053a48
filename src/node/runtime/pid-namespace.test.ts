// Containers in their own PID namespace (real unshare, root only): what the app sees, how its
// exit and signals are reported, the cgroup joined before exec, and adoption after a restart.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectSandbox } from '../sandbox/detect.js';
import { childPids } from '../sandbox/proc-tree.js';
import { adoptContainer } from './adopt-container.js';
import { CgroupManager, detectCgroups } from './cgroups.js';
import type { AvailableCgroups } from './cgroups.js';
import { limitsFor } from './cgroup-limits.js';
import { readProcStat } from './container-state.js';
import { ContainerStartError, killGroup, startContainer } from './process-runtime.js';
import type { ContainerSpec, RunningContainer } from './process-runtime.js';
import { readLogs } from './read-logs.js';

const sandbox = await detectSandbox();
const cgroups = await detectCgroups();
if (!sandbox.pidNamespaces) {
  console.warn(`skipping PID namespace tests: ${sandbox.reason}`);
}
const pidNamespace = sandbox.pidNamespaces ? { unshare: sandbox.unshare } : undefined;

let podDir = '';
const started: RunningContainer[] = [];

beforeEach(async () => {
  podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-pidns-'));
});

afterEach(async () => {
  for (const c of started.splice(0)) {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
  }
  await rm(podDir, { recursive: true, force: true });
});

// A restarted agent: the old handle stops watching, a new one adopts from the state file.
async function readopt(c: RunningContainer): Promise<RunningContainer | undefined> {
  await c.detach();
  started.splice(started.indexOf(c), 1);
  const adopted = await adoptContainer(c.statePath, { pollMs: 20, logPumpIntervalMs: 10 });
  if (adopted) {
    started.push(adopted);
  }
  return adopted;
}

async function run(
  spec: Partial<ContainerSpec> & { command: string[] },
): Promise<RunningContainer> {
  const c = await startContainer({ name: 'app', podDir, restartCount: 0, pidNamespace, ...spec });
  started.push(c);
  return c;
}

async function logLines(c: { logPath: string }): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLogs(c.logPath)) {
    out.push(line.trimEnd());
  }
  return out;
}

async function firstChild(pid: number | undefined): Promise<number> {
  let child: number | undefined;
  await expect
    .poll(async () => (child = (await childPids(pid ?? 0))[0]), {
      timeout: 5000,
      message: `waiting for a child of ${pid}`,
    })
    .toBeDefined();
  return child ?? 0;
}

async function isAlive(pid: number | undefined): Promise<boolean> {
  const s = pid === undefined ? undefined : await readProcStat(pid);
  return s !== undefined && s.state !== 'Z';
}

describe.runIf(pidNamespace)('a container in its own PID namespace', () => {
  it('sees only its own processes in /proc, the app as PID 2 under the init', async () => {
    const c = await run({
      command: ['sh', '-c', 'echo "$$"; ls /proc | grep -E "^[0-9]+$" | sort -n | tr "\\n" " "'],
    });
    expect(await c.wait()).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const [pid, procs] = await logLines(c);
    expect(pid).toBe('2');
    // The init (1), the app's shell (2) and the pipeline it forked; nothing of the host.
    expect(
      procs
        ?.split(' ')
        .filter(Boolean)
        .map(Number)
        .every((n) => n < 10),
    ).toBe(true);
  });

  it('records the group leader, the namespace init and the app', async () => {
    const c = await run({ command: ['sleep', '30'] });
    expect(c.namespacePid).toBeDefined();
    expect(await childPids(c.pid)).toEqual([c.namespacePid]);
    expect(await childPids(c.namespacePid ?? 0)).toEqual([c.appPid]);
    const status = await readFile(`/proc/${c.appPid}/status`, 'utf8');
    expect(status).toMatch(/^NSpid:\s+\d+\s+2$/m);
    expect((await readProcStat(c.appPid ?? 0))?.pgid).toBe(c.pid);
    expect(JSON.parse(await readFile(c.statePath, 'utf8'))).toMatchObject({
      pid: c.pid,
      namespacePid: c.namespacePid,
      appPid: c.appPid,
      exitFile: expect.stringMatching(/0\.exit$/),
    });
  });

  it.each([
    { script: 'exit 0', exitCode: 0, reason: 'Completed' },
    { script: 'exit 3', exitCode: 3, reason: 'Error' },
    { script: 'kill -TERM $$', exitCode: 143, reason: 'Error', signal: 'SIGTERM' },
    { script: 'kill -KILL $$', exitCode: 137, reason: 'Error', signal: 'SIGKILL' },
  ])('reports `$script` as $reason ($exitCode)', async ({ script, exitCode, reason, signal }) => {
    const c = await run({ command: ['sh', '-c', script] });
    expect(await c.wait()).toMatchObject({ exitCode, reason, signal });
  });

  it('ends with 137 (SIGKILL) when the app is killed -9 from the host, taking its children', async () => {
    const c = await run({ command: ['sh', '-c', 'sleep 30 & wait'] });
    const child = await firstChild(c.appPid);
    process.kill(c.appPid ?? 0, 'SIGKILL');
    expect(await c.wait()).toMatchObject({ exitCode: 137, signal: 'SIGKILL', reason: 'Error' });
    expect(await isAlive(child)).toBe(false);
    expect(await isAlive(c.namespacePid)).toBe(false);
  });

  it('stops an app without a SIGTERM handler at once: it is not PID 1', async () => {
    const c = await run({ command: ['sleep', '30'] });
    const begun = Date.now();
    expect(await c.stop(10)).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
    expect(Date.now() - begun).toBeLessThan(3000);
  });

  it('escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const c = await run({
      command: ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done'],
      logPumpIntervalMs: 10,
    });
    await expect.poll(() => logLines(c), { timeout: 5000, message: 'trap set' }).toEqual(['ready']);
    const exit = await c.stop(1);
    expect(exit).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(await isAlive(c.namespacePid)).toBe(false);
  });

  it('keeps the shell out of the app: exact env, no job notices in the log', async () => {
    const c = await run({
      command: ['sh', '-c', '/usr/bin/env | sort; kill -KILL $$'],
      env: { FOO: 'bar' },
      workingDir: podDir,
    });
    await c.wait();
    const lines = await logLines(c);
    expect(lines).toEqual([
      'FOO=bar',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `PWD=${podDir}`,
    ]);
  });
});

describe.runIf(pidNamespace)('adoption after an agent restart', () => {
  it('follows a running namespaced container and reads its exit from the init', async () => {
    const c = await run({ command: ['sh', '-c', 'echo before; sleep 30'], logPumpIntervalMs: 10 });
    await expect.poll(() => logLines(c), { timeout: 5000 }).toEqual(['before']);
    const adopted = await readopt(c);
    expect(adopted).toMatchObject({ pid: c.pid, namespacePid: c.namespacePid, appPid: c.appPid });
    process.kill(c.appPid ?? 0, 'SIGKILL');
    expect(await adopted?.wait()).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(await logLines(c)).toEqual(['before']);
  });

  it('resumes the log without copying lines twice', async () => {
    const script = 'echo one; sleep 0.5; echo two; sleep 30';
    const c = await run({ command: ['sh', '-c', script], logPumpIntervalMs: 10 });
    await expect.poll(() => logLines(c), { timeout: 5000 }).toEqual(['one']);
    const adopted = await readopt(c);
    await expect.poll(() => logLines(c), { timeout: 5000 }).toEqual(['one', 'two']);
    expect(await adopted?.stop(5)).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
  });

  it('reports a container that ended unseen from its exit file, one without as unknown', async () => {
    const ns = await run({ command: ['sh', '-c', 'sleep 0.3; exit 4'] });
    const plain = await run({
      name: 'plain',
      command: ['sh', '-c', 'sleep 0.3; exit 4'],
      pidNamespace: undefined,
    });
    for (const c of [ns, plain]) {
      await c.detach();
      started.splice(started.indexOf(c), 1);
      await expect.poll(() => isAlive(c.pid), { timeout: 5000 }).toBe(false);
    }
    expect(await (await adoptContainer(ns.statePath))?.wait()).toMatchObject({
      exitCode: 4,
      reason: 'Error',
    });
    expect(await (await adoptContainer(plain.statePath))?.wait()).toMatchObject({
      exitCode: 137,
      reason: 'ContainerStatusUnknown',
      message: 'The container could not be located when the pod was terminated',
    });
    expect(await adoptContainer(path.join(podDir, 'none', '0.state.json'))).toBeUndefined();
  });
});

describe.runIf(cgroups.available)('the cgroup is joined before exec', () => {
  const root = `kubepods-test-${randomBytes(4).toString('hex')}`;
  let manager: CgroupManager;

  beforeAll(() => {
    manager = new CgroupManager(cgroups as AvailableCgroups, { root });
  });

  afterAll(async () => {
    await manager.removeRoot();
  });

  it('fails the start with RunContainerError when the cgroup cannot be joined', async () => {
    const missing = manager.container('BestEffort', 'missing', 'app');
    const err = await startContainer({
      name: 'app',
      podDir,
      restartCount: 0,
      command: ['sleep', '30'],
      cgroup: missing,
      pidNamespace,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerStartError);
    expect(err).toMatchObject({ reason: 'RunContainerError' });
    expect((err as Error).message).toMatch(/^adding to cgroup: .*cgroup\.procs.*nonexistent/);
  });

  it.each([
    { mode: 'host', ns: undefined },
    { mode: 'PID namespace', ns: pidNamespace },
  ])('$mode: the first thing the command runs is already in the cgroup', async ({ mode, ns }) => {
    if (mode !== 'host' && !ns) {
      return;
    }
    const cg = await manager.createContainer({
      qos: 'BestEffort',
      podUid: mode === 'host' ? 'h' : 'n',
      container: 'app',
      limits: limitsFor(undefined),
    });
    const c = await run({
      command: ['sh', '-c', 'cat /proc/self/cgroup; sleep 30 & wait'],
      cgroup: cg,
      pidNamespace: ns,
    });
    await expect
      .poll(() => logLines(c), { timeout: 5000, message: 'waiting for /proc/self/cgroup' })
      .toContainEqual(expect.stringContaining(cg.relPath));
    // v1: one line per hierarchy ("4:memory:/path"); v2: one line "0::/path".
    const wanted = cg.support.version === 1 ? ['memory', 'pids', 'cpu', 'cpuacct'] : [''];
    const ours = (await logLines(c)).filter((l) =>
      (l.split(':')[1] ?? 'x').split(',').some((k) => wanted.includes(k)),
    );
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((l) => l.endsWith(`/${cg.relPath}`))).toBe(true);
    const members = await cg.pids();
    expect(members).toContain(c.appPid);
    expect(members).toContain(c.pid);
    await c.stop(5);
    expect(await cg.pids()).toEqual([]);
  });
});
