// Ground truth from /proc for the node benchmark: CPU seconds of a whole process tree (utime +
// stime of every live process below a root pid) and the machine's load average.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { round } from '../api/stats.js';

/** One pass over /proc: pid -> { ppid, ticks (utime + stime) }; vanished pids are skipped. */
function readAllStats() {
  const all = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // Exited between readdir and read.
    }
    // The command name may hold spaces and ')'; fields are counted after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    all.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
  }
  return all;
}

/** CPU seconds used so far by rootPid and every live descendant, and how many processes that is. */
export function treeCpuSeconds(rootPid) {
  const all = readAllStats();
  const children = new Map();
  for (const [pid, { ppid }] of all) {
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let ticks = 0;
  let processes = 0;
  const stack = all.has(rootPid) ? [rootPid] : [];
  while (stack.length) {
    const pid = stack.pop();
    ticks += all.get(pid).ticks;
    processes++;
    stack.push(...(children.get(pid) ?? []));
  }
  return { seconds: ticks / TICKS, processes };
}

function clockTicksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's USER_HZ nearly everywhere.
  }
}
const TICKS = clockTicksPerSecond();

/** The 1, 5 and 15 minute load averages and the CPU count, for reading figures in context. */
export function machineLoad() {
  const [one, five, fifteen] = os.loadavg().map((v) => round(v, 2));
  return { loadavg1m: one, loadavg5m: five, loadavg15m: fifteen, cpus: os.cpus().length };
}
