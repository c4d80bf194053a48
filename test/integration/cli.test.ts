// `kubeproc up --detach` and `kubeproc down`, as a user runs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, isolatedNetwork } from './harness.js';
import { instanceNames } from '../../src/node/network/naming.js';

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

  it('with --stop-pods also ends the pods’ processes, namespaces and cgroups', async () => {
    const net = isolatedNetwork();
    const up = kubeproc(
      'up',
      '--detach',
      '--data-dir',
      dataDir,
      '--api-port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--pod-cidr',
      net.podCidr,
      '--service-cidr',
      net.serviceCidr,
    );
    expect(up.status, up.stderr).toBe(0);
    const kubectl = (...args: string[]) =>
      spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
        encoding: 'utf8',
        env,
      });
    expect(kubectl('run', 'sleeper', '--image=x', '--command', '--', 'sleep', '3600').status).toBe(
      0,
    );
    let state: { pid: number } | undefined;
    const deadline = Date.now() + 30_000;
    while (!state && Date.now() < deadline) {
      const ready = kubectl('get', 'pod', 'sleeper', '-o', 'jsonpath={.status.phase}').stdout;
      const uid = kubectl('get', 'pod', 'sleeper', '-o', 'jsonpath={.metadata.uid}').stdout;
      try {
        if (ready === 'Running') {
          const file = join(dataDir, 'pods', uid, 'sleeper', '0.state.json');
          state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
        }
      } catch {
        // not written yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state?.pid).toBeGreaterThan(0);
    const down = kubeproc('down', '--data-dir', dataDir, '--stop-pods');
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/^kubeproc stopped \(pid \d+\)\nstopped 1 container process\n$/);
    // SIGKILLed, then reaped by init (its parent, kubeproc, is gone): allow a moment.
    const isAlive = (): boolean => {
      try {
        process.kill(state?.pid ?? 0, 0);
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${state?.pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    const until = Date.now() + 10_000;
    while (isAlive() && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(isAlive()).toBe(false);
    const links = spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout;
    const id = instanceNames(dataDir).id;
    expect(
      (JSON.parse(links) as { ifname: string }[]).filter((l) => l.ifname.includes(id)),
    ).toEqual([]);
  });
});
