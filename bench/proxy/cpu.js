// CPU accounting for the proxy benchmark from /proc: one process, a process tree (nginx master and
// workers, a pod's init and app), the whole machine, and a process's children.
import { readdirSync, readFileSync } from 'node:fs';
import { treeCpuSeconds } from '../node/proc.js';
import { round } from '../api/stats.js';

const TICKS = 100; // USER_HZ on Linux, as /proc/stat and /proc/<pid>/stat count.

function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and ')'; fields are counted after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // Already gone.
  }
}

/** The live children of pid. */
export function childPids(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name) && Number(statFields(name)?.[1]) === pid) {
      out.push(Number(name));
    }
  }
  return out;
}

/** Busy and total CPU seconds of the whole machine so far (all cores), from /proc/stat. */
function machineSeconds() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const n = cpu.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** utime + stime of one process (its threads included, its children not), in seconds. */
export function processCpuSeconds(pid) {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS : Number.NaN;
}

function seconds({ pid, pids, isTree }) {
  if (pids) {
    return pids.reduce((sum, p) => sum + treeCpuSeconds(p).seconds, 0);
  }
  return isTree ? treeCpuSeconds(pid).seconds : processCpuSeconds(pid);
}

/**
 * Starts a CPU meter over named processes (name -> { pid } for one process, { pid, isTree } for
 * it and its descendants, { pids } for several trees). Its stop() returns the cores each used
 * over the interval and the machine's busy cores, rounded.
 */
export function cpuMeter(trees) {
  const read = () => ({
    at: performance.now(),
    machine: machineSeconds(),
    trees: Object.fromEntries(Object.entries(trees).map(([k, what]) => [k, seconds(what)])),
  });
  const start = read();
  return () => {
    const end = read();
    const elapsedS = (end.at - start.at) / 1000;
    const cores = (a, b) => round((b - a) / elapsedS, 2);
    const out = { machineBusyCores: cores(start.machine.busy, end.machine.busy) };
    for (const k of Object.keys(trees)) {
      out[`${k}Cores`] = cores(start.trees[k], end.trees[k]);
    }
    return out;
  };
}
