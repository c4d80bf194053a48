// Which network mode this node runs pods in: isolated (a network and UTS namespace per pod on a
// kubeproc bridge) where the machine allows it (Linux, root, iproute2 and util-linux, a trial that
// works), otherwise host mode with a one-line reason. `--network` forces either.
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { runCommand, runIgnoringMissing } from './ip-command.js';

/** The tools isolated mode runs. */
export interface NetworkTools {
  ip: string;
  unshare: string;
  nsenter: string;
  umount: string;
}

/** What detectNetwork decided. */
export type NetworkSupport =
  { mode: 'isolated'; tools: NetworkTools } | { mode: 'host'; reason: string };

export type NetworkModeFlag = 'isolated' | 'host';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A forced `--network isolated` that this machine cannot do. */
export class NetworkUnavailableError extends Error {
  readonly code = 'NetworkUnavailable';
}

/** Decides the mode: `wanted` forces it; isolated is refused with the reason when impossible. */
export async function detectNetwork(
  wanted: NetworkModeFlag | undefined,
  opts: { searchPath?: string; isRoot?: boolean } = {},
): Promise<NetworkSupport> {
  if (wanted === 'host') {
    return { mode: 'host', reason: 'chosen with --network host' };
  }
  const found = await isolatedSupport(opts);
  if (typeof found === 'string') {
    if (wanted === 'isolated') {
      throw new NetworkUnavailableError(`--network isolated is not possible here: ${found}`);
    }
    return { mode: 'host', reason: found };
  }
  return { mode: 'isolated', tools: found };
}

async function isolatedSupport(opts: {
  searchPath?: string;
  isRoot?: boolean;
}): Promise<NetworkTools | string> {
  if (process.platform !== 'linux') {
    return `pod network namespaces need Linux (this is ${process.platform})`;
  }
  if (!(opts.isRoot ?? process.getuid?.() === 0)) {
    return 'not running as root (network namespaces and veths need CAP_NET_ADMIN)';
  }
  const tools = await findTools(opts.searchPath ?? `${process.env.PATH ?? ''}:${SYSTEM_PATH}`);
  const missing = Object.entries(tools).filter(([, file]) => file === '');
  if (missing.length > 0) {
    return `${missing.map(([name]) => name).join(', ')} not found in PATH`;
  }
  try {
    await trial(tools);
  } catch (err) {
    return `a trial network namespace failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return tools;
}

async function findTools(searchPath: string): Promise<NetworkTools> {
  const find = async (name: string) => (await findExecutable(name, searchPath)) ?? '';
  return {
    ip: await find('ip'),
    unshare: await find('unshare'),
    nsenter: await find('nsenter'),
    umount: await find('umount'),
  };
}

// A throwaway netns with a veth into it: what every pod needs, cleaned up at once.
async function trial(tools: NetworkTools): Promise<void> {
  const tag = `${process.pid.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
  const netns = `kptrial-${tag}`;
  const veth = `kpt${tag}`.slice(0, 15);
  try {
    await runCommand(tools.ip, ['netns', 'add', netns]);
    await runCommand(tools.ip, [
      'link',
      'add',
      veth,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      netns,
    ]);
    await runCommand(tools.nsenter, [
      `--net=/run/netns/${netns}`,
      '--',
      tools.ip,
      'link',
      'show',
      'eth0',
    ]);
    await runCommand(tools.unshare, ['--uts', '--', 'hostname', 'kubeproc-trial']);
  } finally {
    await runIgnoringMissing(tools.ip, ['link', 'del', veth]);
    await runIgnoringMissing(tools.ip, ['netns', 'del', netns]);
  }
}

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(':').filter((d) => d.startsWith('/'))) {
    const file = path.join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return undefined;
}
