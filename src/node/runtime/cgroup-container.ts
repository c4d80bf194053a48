// One container's cgroup: its directories (one per v1 controller, or one unified), limits,
// member processes, stats (cpu, working set, OOM kills, throttling) and removal.
import { readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupLimits } from './cgroup-limits.js';
import { sharesToWeight } from './cgroup-limits.js';
import {
  CONTROLLERS,
  CgroupError,
  errMessage,
  keyedValue,
  readText,
  writeCgroupFile,
} from './cgroup-fs.js';
import type { AvailableCgroups, CgroupStats, Controller } from './cgroup-fs.js';

/** A container cgroup, named by its path below the hierarchy roots (e.g. kubepods/pod1/app). */
export class ContainerCgroup {
  constructor(
    readonly support: AvailableCgroups,
    readonly relPath: string,
  ) {}

  /** The absolute directory of this cgroup for a controller (v2: the unified directory). */
  dir(controller: Controller): string {
    const base =
      this.support.version === 1 ? this.support.mounts[controller] : this.support.unifiedRoot;
    return path.join(base, this.relPath);
  }

  /** Every directory backing this cgroup, without duplicates (co-mounted controllers). */
  dirs(): string[] {
    return [...new Set(CONTROLLERS.map((c) => this.dir(c)))];
  }

  /** Writes cpu, memory and pids limits; undefined values mean "no limit". */
  async applyLimits(limits: CgroupLimits): Promise<void> {
    if (this.support.version === 1) {
      const cpu = this.dir('cpu');
      await writeCgroupFile(path.join(cpu, 'cpu.shares'), String(limits.cpuShares));
      await writeCgroupFile(path.join(cpu, 'cpu.cfs_period_us'), String(limits.cpuPeriodUs));
      await writeCgroupFile(path.join(cpu, 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs ?? -1));
      const memory = path.join(this.dir('memory'), 'memory.limit_in_bytes');
      await writeCgroupFile(memory, String(limits.memoryBytes ?? -1));
    } else {
      const dir = this.dir('cpu');
      await writeCgroupFile(path.join(dir, 'cpu.weight'), String(sharesToWeight(limits.cpuShares)));
      const quota = limits.cpuQuotaUs === undefined ? 'max' : String(limits.cpuQuotaUs);
      await writeCgroupFile(path.join(dir, 'cpu.max'), `${quota} ${limits.cpuPeriodUs}`);
      await writeCgroupFile(path.join(dir, 'memory.max'), String(limits.memoryBytes ?? 'max'));
    }
    await writeCgroupFile(path.join(this.dir('pids'), 'pids.max'), String(limits.pidsMax ?? 'max'));
  }

  /** The cgroup.procs file of every hierarchy: a process that writes its pid to each has joined. */
  procsFiles(): string[] {
    return this.dirs().map((dir) => path.join(dir, 'cgroup.procs'));
  }

  /** Moves a process (and its future children) into this cgroup, in every hierarchy. */
  async addProcess(pid: number): Promise<void> {
    for (const dir of this.dirs()) {
      await writeCgroupFile(path.join(dir, 'cgroup.procs'), String(pid));
    }
  }

  /** The pids in this cgroup (from the pids hierarchy). */
  async pids(): Promise<number[]> {
    const text = await readText(path.join(this.dir('pids'), 'cgroup.procs'));
    return text.split('\n').filter(Boolean).map(Number);
  }

  /** Sends a signal to every process in the cgroup, also those that left the process group. */
  async killAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    for (const pid of await this.pids()) {
      try {
        process.kill(pid, signal);
      } catch (err) {
        // A process that exited between the read and the kill is what we wanted anyway.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
          throw err;
        }
      }
    }
  }

  /** Waits until no process is left (killed ones take a moment); false after `timeoutMs`. */
  async waitEmpty(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.pids()).length > 0) {
      if (Date.now() >= deadline) {
        return false;
      }
      await sleep(10);
    }
    return true;
  }

  /** OOM kills in this cgroup so far (v1: memory.oom_control, v2: memory.events). */
  async oomKillCount(): Promise<number> {
    const mem = this.dir('memory');
    if (this.support.version === 2) {
      return keyedValue(await readText(path.join(mem, 'memory.events')), 'oom_kill') ?? 0;
    }
    const control = await readText(path.join(mem, 'memory.oom_control'));
    const kills = keyedValue(control, 'oom_kill');
    if (kills !== undefined) {
      return kills;
    }
    // Kernels before 4.13 have no oom_kill counter; hitting the limit is the best hint left.
    return Number((await readText(path.join(mem, 'memory.failcnt'))).trim() || 0) > 0 ? 1 : 0;
  }

  /** CPU, memory and throttling figures now. */
  async stats(): Promise<CgroupStats> {
    return this.support.version === 1 ? this.statsV1() : this.statsV2();
  }

  private async statsV1(): Promise<CgroupStats> {
    const mem = this.dir('memory');
    const usage = Number((await readText(path.join(mem, 'memory.usage_in_bytes'))).trim() || 0);
    const memStat = await readText(path.join(mem, 'memory.stat'));
    const inactive = keyedValue(memStat, 'total_inactive_file') ?? 0;
    const cpuStat = await readText(path.join(this.dir('cpu'), 'cpu.stat'));
    const cpuUsage = await readText(path.join(this.dir('cpuacct'), 'cpuacct.usage'));
    return {
      cpuUsageNs: Number(cpuUsage.trim() || 0),
      memoryUsageBytes: usage,
      workingSetBytes: Math.max(0, usage - inactive),
      oomKillCount: await this.oomKillCount(),
      nrThrottled: keyedValue(cpuStat, 'nr_throttled') ?? 0,
      throttledNs: keyedValue(cpuStat, 'throttled_time') ?? 0,
    };
  }

  private async statsV2(): Promise<CgroupStats> {
    const dir = this.dir('memory');
    const usage = Number((await readText(path.join(dir, 'memory.current'))).trim() || 0);
    const inactive =
      keyedValue(await readText(path.join(dir, 'memory.stat')), 'inactive_file') ?? 0;
    const cpuStat = await readText(path.join(dir, 'cpu.stat'));
    return {
      cpuUsageNs: (keyedValue(cpuStat, 'usage_usec') ?? 0) * 1000,
      memoryUsageBytes: usage,
      workingSetBytes: Math.max(0, usage - inactive),
      oomKillCount: await this.oomKillCount(),
      nrThrottled: keyedValue(cpuStat, 'nr_throttled') ?? 0,
      throttledNs: (keyedValue(cpuStat, 'throttled_usec') ?? 0) * 1000,
    };
  }

  /** Removes this cgroup's directories; its processes must have exited. */
  async remove(): Promise<void> {
    await removeTree(this.support, this.relPath);
  }
}

/** Removes a cgroup and every cgroup below it, deepest first, in each hierarchy. */
export async function removeTree(support: AvailableCgroups, relPath: string): Promise<void> {
  const roots =
    support.version === 1 ? [...new Set(Object.values(support.mounts))] : [support.unifiedRoot];
  for (const root of roots) {
    await removeDir(path.join(root, relPath));
  }
}

async function removeDir(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return;
    }
    throw err;
  }
  for (const entry of entries.filter((e) => e.isDirectory())) {
    await removeDir(path.join(dir, entry.name));
  }
  try {
    await rmdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new CgroupError('CgroupRemoveFailed', `removing cgroup ${dir}: ${errMessage(err)}`, {
        cause: err,
      });
    }
  }
}
