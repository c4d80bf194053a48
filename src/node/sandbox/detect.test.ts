// detectSandbox on this machine, and the plain reasons it gives when PID namespaces cannot be used.
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSandbox } from './detect.js';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

describe('detectSandbox', () => {
  it.runIf(isRoot)('finds PID namespaces usable as root with util-linux', async () => {
    expect(await detectSandbox()).toEqual({
      pidNamespaces: true,
      unshare: expect.stringMatching(/\/unshare$/),
      nsenter: expect.stringMatching(/\/nsenter$/),
      setsid: expect.stringMatching(/\/setsid$/),
    });
  });

  it.runIf(process.platform === 'linux')(
    'says plainly that pods share the host without root',
    async () => {
      expect(await detectSandbox({ isRoot: false })).toEqual({
        pidNamespaces: false,
        reason:
          "pods share the host's process space: not running as root (a PID namespace needs CAP_SYS_ADMIN)",
      });
    },
  );

  it.runIf(isRoot)('names the missing tools', async () => {
    expect(await detectSandbox({ searchPath: '/nonexistent' })).toEqual({
      pidNamespaces: false,
      reason:
        "pods share the host's process space: unshare, nsenter, setsid (util-linux) not found in PATH",
    });
  });

  it.runIf(isRoot)('gives the trial run error when unshare fails', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-sandbox-'));
    try {
      const fake = path.join(dir, 'unshare');
      await writeFile(
        fake,
        '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n',
      );
      await chmod(fake, 0o755);
      const real = (await detectSandbox()) as { nsenter: string; setsid: string };
      await symlink(real.nsenter, path.join(dir, 'nsenter'));
      await symlink(real.setsid, path.join(dir, 'setsid'));
      expect(await detectSandbox({ searchPath: dir })).toEqual({
        pidNamespaces: false,
        reason:
          "pods share the host's process space: a trial run failed: unshare: unshare failed: Operation not permitted",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
