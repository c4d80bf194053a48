// Runtime state of a running kubeproc (pid, API URL), kept apart from user config in the data
// dir so `kubeproc down` can find the process.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuntimeState {
  pid: number;
  url: string;
  kubeconfig: string;
  startedAt: string;
}

const FILE = 'kubeproc.json';

export function readRuntimeState(dataDir: string): RuntimeState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as Partial<RuntimeState>;
    return typeof parsed.pid === 'number' && typeof parsed.url === 'string'
      ? (parsed as RuntimeState)
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeRuntimeState(dataDir: string, state: RuntimeState): void {
  const tmp = join(dataDir, `${FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dataDir, FILE));
}

export function removeRuntimeState(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}

/** Whether a process with this pid exists (signal 0 probes without touching it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
