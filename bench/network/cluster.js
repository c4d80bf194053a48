// The kubeproc under test for the network benchmark: `kubeproc up --network <mode>` on a fresh
// data dir (isolated mode on random /24 ranges, so it never meets another instance's), kubectl
// against it, and a stop that leaves no process, namespace, interface or temp dir behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '../api/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/kubeproc.js');
const REAP = join(ROOT, 'dist/node/kubelet/reap.js');

function waitForBanner(tracked, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kubeproc printed no banner in ${timeoutMs} ms:\n${tracked.output}`)),
      timeoutMs,
    );
    const check = () => {
      const m = /API listening on (\S+)/.exec(tracked.output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    tracked.child.stdout.on('data', check);
    tracked.child.stderr.on('data', check);
    tracked.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`kubeproc exited (${code ?? signal}) before its banner:\n${tracked.output}`),
      );
    });
  });
}

/** The flags of a mode: isolated gets a random pod /24 and the /24 after it for Services. */
export function modeArgs(mode) {
  if (mode === 'host') {
    return ['--network', 'host'];
  }
  const second = 100 + Math.floor(Math.random() * 100);
  const third = 2 * Math.floor(Math.random() * 120);
  return [
    '--network',
    'isolated',
    '--pod-cidr',
    `10.${second}.${third}.0/24`,
    '--service-cidr',
    `10.${second}.${third + 1}.0/24`,
  ];
}

/** Starts kubeproc in `mode`; resolves with { url, dataDir, kubectl(args, input), stop() }. */
export async function startCluster(mode) {
  const dir = mkdtempSync(join(tmpdir(), `kubeproc-bench-net-${mode}-`));
  const dataDir = join(dir, 'data');
  const kubeconfig = join(dir, 'kubeconfig');
  const args = [BIN, 'up', '--data-dir', dataDir, '--api-port', '0', '--kubeconfig', kubeconfig];
  const tracked = spawnTracked(process.execPath, [...args, ...modeArgs(mode)], {
    env: { ...process.env, HOME: dir },
  });
  const stop = async () => {
    await tracked.stop();
    const { reapPods } = await import(REAP);
    await reapPods(dataDir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await waitForBanner(tracked, 30_000);
    const kubectl = (kargs, input = '') => {
      const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...kargs], {
        encoding: 'utf8',
        input,
        env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
        timeout: 120_000,
      });
      if (r.status !== 0) {
        throw new Error(`kubectl ${kargs.join(' ')} failed (${r.status}): ${r.stderr}`);
      }
      return r.stdout;
    };
    return { mode, url, dataDir, kubectl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
