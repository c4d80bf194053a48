// `kubeproc down`: stop a detached kubeproc (SIGTERM, then SIGKILL after a grace period).
import { parseArgs } from 'node:util';
import { dataDirOf } from './up.js';
import type { Output } from './output.js';
import { waitFor } from './output.js';
import { isRunning, readRuntimeState, removeRuntimeState } from './runtime-state.js';

export async function down(args: string[], out: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    out.print(
      'Usage: kubeproc down [--data-dir DIR]\n\nStop the kubeproc running with DIR (default ~/.kubeproc).',
    );
    return 0;
  }
  const dataDir = dataDirOf(values['data-dir']);
  const state = readRuntimeState(dataDir);
  if (!state || !isRunning(state.pid)) {
    removeRuntimeState(dataDir);
    out.print(`kubeproc is not running with data dir ${dataDir}`);
    return 0;
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
  return 0;
}
