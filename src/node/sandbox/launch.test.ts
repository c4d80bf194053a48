// The launch argv: the user's words reach the command untouched (no shell parses them), with or
// without a PID namespace, and the init's 128 + n statuses map back to signals.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSandbox } from './detect.js';
import { launchArgv, signalFromStatus } from './launch.js';

const sandbox = await detectSandbox();
const TRICKY = ['$(id)', '; echo no', '*', `"'\``, '', 'a  b', '$1', '-n'];

describe('signalFromStatus', () => {
  it.each([
    [0, undefined],
    [3, undefined],
    [128, undefined],
    [129, 'SIGHUP'],
    [137, 'SIGKILL'],
    [143, 'SIGTERM'],
    [255, undefined],
  ])('%i → %s', (code, signal) => expect(signalFromStatus(code)).toBe(signal));
});

describe('launchArgv', () => {
  it('keeps the command out of the script text', () => {
    const argv = launchArgv({ command: ['/bin/echo', ...TRICKY], env: {} });
    expect(argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(argv[2]).not.toContain('echo no');
    expect(argv.slice(-TRICKY.length - 1)).toEqual(['/bin/echo', ...TRICKY]);
  });

  const modes = [
    { mode: 'host', ns: false },
    { mode: 'PID namespace', ns: true },
  ].filter((m) => !m.ns || sandbox.pidNamespaces);

  it.each(modes)('$mode: passes every word through verbatim', async ({ ns }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-launch-'));
    try {
      const exitFile = path.join(dir, 'exit');
      const pidNamespace =
        ns && sandbox.pidNamespaces ? { unshare: sandbox.unshare, exitFile } : undefined;
      const script = 'for a in "$@"; do printf "[%s]" "$a"; done; exit 5';
      const argv = launchArgv({
        command: ['sh', '-c', script, 'sh', ...TRICKY],
        env: {},
        pidNamespace,
        errorFd: 2,
      });
      const run = spawnSync(argv[0] ?? '', argv.slice(1), {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin' },
      });
      expect(run.stdout).toBe(TRICKY.map((w) => `[${w}]`).join(''));
      expect(run.stderr).toBe('');
      expect(run.status).toBe(5);
      if (ns) {
        expect(await readFile(exitFile, 'utf8')).toBe('5\n');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with the shell message on fd 2 when a cgroup cannot be joined', () => {
    const argv = launchArgv({
      command: ['true'],
      env: {},
      cgroupProcs: ['/nonexistent/cgroup.procs'],
      errorFd: 2,
    });
    const run = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
    expect(run.status).toBe(125);
    expect(run.stderr).toContain('/nonexistent/cgroup.procs');
  });
});
