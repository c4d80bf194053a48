// `kubeproc down`: stop a detached kubeproc (SIGTERM, then SIGKILL after a grace period).
import { parseArgs } from 'node:util';
import { dataDirOf } from './up.js';
import type { Output } from './output.js';
import { waitFor } from './output.js';
import { isRunning, readRuntimeState, removeRuntimeState } from './runtime-state.js';
import { reapPods } from '../node/kubelet/reap.js';

export async function down(args: string[], out: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      'stop-pods': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    out.print(
      [
        'Usage: kubeproc down [--data-dir DIR] [--stop-pods]',
        '',
        'Stop the kubeproc running with DIR (default ~/.kubeproc). App processes keep running, as',
        'pods do while a kubelet restarts; --stop-pods also ends them and removes their cgroups,',
        'mounts and network namespaces, as a node reboot would (the pods start again on the next up).',
      ].join('\n'),
    );
    return 0;
  }
  const dataDir = dataDirOf(values['data-dir']);
  const state = readRuntimeState(dataDir);
  if (!state || !isRunning(state.pid)) {
    removeRuntimeState(dataDir);
    out.print(`kubeproc is not running with data dir ${dataDir}`);
    return values['stop-pods'] ? stopPods(dataDir, out) : 0;
  }
  process.kill(state.pid, 'SIGTERM');
  try {
    await waitFor(30_000, () => (isRunning(state.pid) ? undefined : true));
  } catch {
    process.kill(state.pid, 'SIGKILL');
    out.error(`kubeproc (pid ${state.pid}) did not stop within 30s; killed it`);
  }
  removeRuntimeState(dataDir);
  out.print(`kubeproc stopped (pid ${state.pid})`);
  return values['stop-pods'] ? stopPods(dataDir, out) : 0;
}

async function stopPods(dataDir: string, out: Output): Promise<number> {
  const stopped = await reapPods(dataDir);
  out.print(`stopped ${stopped} container process${stopped === 1 ? '' : 'es'}`);
  return 0;
}
