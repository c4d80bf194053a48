// `kubeproc up --detach` and `kubeproc down`, as a user runs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeproc-cli-'));
const dataDir = join(dir, 'data');
const kubeconfig = join(dir, 'kubeconfig');
const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
const kubeproc = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 60_000 });

const runningPid = (): number | undefined => {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'kubeproc.json'), 'utf8')) as { pid: number })
      .pid;
  } catch {
    return undefined;
  }
};

afterAll(() => {
  const pid = runningPid();
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeproc up --detach / down', () => {
  it('starts in the background, returns once the API answers, and writes the context', () => {
    const up = kubeproc(
      'up',
      '--detach',
      '--data-dir',
      dataDir,
      '--api-port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--network',
      'host',
    );
    expect(up.status).toBe(0);
    expect(up.stdout).toMatch(/API listening on http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const ns = spawnSync(
      'kubectl',
      [`--cache-dir=${join(dir, 'cache')}`, 'get', 'ns', 'default', '-o', 'name'],
      { encoding: 'utf8', env },
    );
    expect(ns.stdout).toBe('namespace/default\n');
  });

  it('refuses a second instance on the same data dir', () => {
    const again = kubeproc(
      'up',
      '--detach',
      '--data-dir',
      dataDir,
      '--api-port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--network',
      'host',
    );
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^kubeproc: kubeproc is already running \(pid \d+/);
  });

  it('stops it with down', () => {
    const pid = runningPid();
    expect(pid).toBeGreaterThan(0);
    const down = kubeproc('down', '--data-dir', dataDir);
    expect(down.status).toBe(0);
    expect(down.stdout).toBe(`kubeproc stopped (pid ${pid})\n`);
    expect(() => process.kill(pid ?? 0, 0)).toThrow();
    expect(kubeproc('down', '--data-dir', dataDir).stdout).toMatch(/is not running/);
  });
});
