// Shared cgroup types and small file helpers (cgroupfs reads and writes with clear errors).
import { readFile, writeFile } from 'node:fs/promises';

/** The controllers a container cgroup uses (cgroup v1 names). */
export const CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'] as const;
export type Controller = (typeof CONTROLLERS)[number];

export type CgroupSupport =
  | { available: true; version: 1; mounts: Record<Controller, string> }
  | { available: true; version: 2; unifiedRoot: string }
  | { available: false; reason: string };

/** Cgroup support that can be used. */
export type AvailableCgroups = Exclude<CgroupSupport, { available: false }>;

/** One reading of a container cgroup. */
export interface CgroupStats {
  cpuUsageNs: number;
  memoryUsageBytes: number;
  /** usage minus inactive file pages, floored at 0: what the kubelet and cAdvisor report. */
  workingSetBytes: number;
  oomKillCount: number;
  nrThrottled: number;
  throttledNs: number;
}

/** Errors from cgroup operations, with a stable code. */
export class CgroupError extends Error {
  constructor(
    readonly code: 'CgroupWriteFailed' | 'CgroupRemoveFailed',
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'CgroupError';
  }
}

/** The message of an unknown thrown value. */
export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A cgroup file's text, or '' when it does not exist (a controller file absent on this kernel). */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return '';
    }
    throw err;
  }
}

/** Writes one value into a cgroup file; the error names the file and value. */
export async function writeCgroupFile(file: string, value: string): Promise<void> {
  try {
    await writeFile(file, value);
  } catch (err) {
    throw new CgroupError(
      'CgroupWriteFailed',
      `writing ${JSON.stringify(value)} to ${file}: ${errMessage(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** The value of `key` in a flat-keyed file (memory.stat, cpu.stat, memory.events). */
export function keyedValue(text: string, key: string): number | undefined {
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k === key && v !== undefined) {
      return Number(v);
    }
  }
  return undefined;
}
