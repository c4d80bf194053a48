// Removes what an instance left on the node that no pod owns any more (after a crash, a kill -9,
// or a pod deleted while kubeproc was down), and everything of an instance for the test reaper.
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NetworkTools } from './detect.js';
import { runCommand, runIgnoringMissing } from './ip-command.js';
import { instanceNames, NETNS_DIR, RUN_ROOT } from './naming.js';
import type { InstanceNames } from './naming.js';
import { unmountFile } from './pod-netns.js';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Host-side veths enslaved to the instance's bridge. */
async function bridgeVeths(ip: string, bridge: string): Promise<string[]> {
  try {
    const links = JSON.parse(await runCommand(ip, ['-j', 'link', 'show', 'master', bridge])) as {
      ifname?: string;
    }[];
    return links.map((l) => l.ifname ?? '').filter((n) => n.startsWith('kpv'));
  } catch {
    return [];
  }
}

/** Deletes the instance's netns, veths and UTS files whose pod UID prefix is not in `kept`. */
export async function removeStale(
  tools: NetworkTools,
  names: InstanceNames,
  kept: Set<string>,
  log?: Logger,
): Promise<number> {
  let removed = 0;
  for (const veth of await bridgeVeths(tools.ip, names.bridge)) {
    if (!kept.has(veth.slice(3))) {
      await runIgnoringMissing(tools.ip, ['link', 'del', veth]);
      removed++;
    }
  }
  for (const netns of (await entries(NETNS_DIR)).filter((n) => n.startsWith(names.netnsPrefix))) {
    const short = netns.slice(names.netnsPrefix.length);
    if (!kept.has(short)) {
      // The host end lives in the host namespace even when the bridge is gone.
      await runIgnoringMissing(tools.ip, ['link', 'del', `kpv${short}`]);
      await runIgnoringMissing(tools.ip, ['netns', 'del', netns]);
      removed++;
    }
  }
  for (const file of (await entries(names.runDir)).filter((f) => f.endsWith('.uts'))) {
    if (!kept.has(file.slice(0, -'.uts'.length))) {
      await unmountFile(tools, path.join(names.runDir, file));
      removed++;
    }
  }
  if (removed > 0) {
    log?.info({ removed }, 'removed stale pod network namespaces and veths');
  }
  return removed;
}

/** Everything of the instance using `dataDir`: pod namespaces, veths, bridge, dummy, run dir. */
export async function removeInstanceNetwork(dataDir: string, tools: NetworkTools): Promise<void> {
  const names = instanceNames(dataDir);
  await removeStale(tools, names, new Set());
  await runIgnoringMissing(tools.ip, ['link', 'del', names.bridge]);
  await runIgnoringMissing(tools.ip, ['link', 'del', names.dummy]);
  await removeRunDir(names.runDir);
}

/** Removes an instance's run dir, and /run/kubeproc too once no instance uses it. */
export async function removeRunDir(runDir: string): Promise<void> {
  await rm(runDir, { recursive: true, force: true });
  // Another instance's dir keeps the root: ENOTEMPTY is the expected answer then.
  await rmdir(RUN_ROOT).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOTEMPTY' && err.code !== 'ENOENT' && err.code !== 'EEXIST') {
      throw err;
    }
  });
}
