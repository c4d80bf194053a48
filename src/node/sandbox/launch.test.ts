// The launch argv: the user's words reach the command untouched (no shell parses them), with or
// without a PID namespace, and the init's 128 + n statuses map back to signals.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

describe.runIf(sandbox.pidNamespaces)('launchArgv mount steps', () => {
  it('binds into a missing /etc directory via an overlay, read-only, without touching the host', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-mounts-'));
    const target = `/etc/kubeproc-test-${path.basename(dir)}`;
    try {
      await mkdir(path.join(dir, 'scratch'));
      await mkdir(path.join(dir, 'vol'));
      await writeFile(path.join(dir, 'vol/x'), 'hello\n');
      const script = `cat ${target}/x; echo > ${target}/y || echo ro; cat /etc/hostname >/dev/null && echo etc-ok`;
      const argv = launchArgv({
        command: ['sh', '-c', script],
        env: {},
        pidNamespace: {
          unshare: sandbox.pidNamespaces ? sandbox.unshare : '',
          exitFile: path.join(dir, 'exit'),
        },
        errorFd: 2,
        mounts: {
          scratchDir: path.join(dir, 'scratch'),
          mounts: [{ source: path.join(dir, 'vol'), target, readOnly: true }],
        },
      });
      const run = spawnSync(argv[0] ?? '', argv.slice(1), {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin' },
      });
      expect(run.stdout).toBe('hello\nro\netc-ok\n');
      expect(existsSync(target)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates a mount point in the directory that holds its own scratch dir (/tmp)', async () => {
    // The scratch tmpfs sits below the overlaid directory: it must stay reachable through it.
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-mounts-'));
    const target = path.join(path.dirname(dir), `kubeproc-missing-${path.basename(dir)}`, 'm');
    try {
      await mkdir(path.join(dir, 'scratch'));
      await mkdir(path.join(dir, 'vol'));
      await writeFile(path.join(dir, 'vol/x'), 'hello\n');
      const argv = launchArgv({
        command: ['cat', `${target}/x`],
        env: {},
        pidNamespace: {
          unshare: sandbox.pidNamespaces ? sandbox.unshare : '',
          exitFile: path.join(dir, 'exit'),
        },
        errorFd: 2,
        mounts: {
          scratchDir: path.join(dir, 'scratch'),
          mounts: [{ source: path.join(dir, 'vol'), target, readOnly: false }],
        },
      });
      const run = spawnSync(argv[0] ?? '', argv.slice(1), {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin' },
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('hello\n');
      expect(existsSync(path.dirname(target))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a failed mount on the status fd with the init tag', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-mounts-'));
    try {
      const argv = launchArgv({
        command: ['true'],
        env: {},
        pidNamespace: {
          unshare: sandbox.pidNamespaces ? sandbox.unshare : '',
          exitFile: path.join(dir, 'exit'),
        },
        errorFd: 2,
        mounts: {
          scratchDir: dir,
          mounts: [{ source: '/nonexistent-src', target: '/tmp/x', readOnly: false }],
        },
      });
      const run = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
      expect(run.status).toBe(125);
      expect(run.stderr).toContain(
        'kubeproc-init: error mounting "/nonexistent-src" to rootfs at "/tmp/x"',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
