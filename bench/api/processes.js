// Child processes for the benchmark: free loopback ports, readiness polling, RSS from /proc,
// and stopping exactly the PIDs we started.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { nowMs } from './stats.js';

/** A port that was free on 127.0.0.1 a moment ago (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resident set size of a live process, from /proc/<pid>/status, in MB (VmRSS and VmHWM). */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return {
    rssMb: Math.round((kb('VmRSS') / 1024) * 10) / 10,
    peakRssMb: Math.round((kb('VmHWM') / 1024) * 10) / 10,
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One GET on a fresh connection; resolves with the status code, or 0 on a connection error. */
function probe(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Spawns a command and tracks it: output kept for diagnostics, `exited` set on exit. The
 * returned stop() sends SIGTERM to this PID only, then SIGKILL after graceMs.
 */
export function spawnTracked(command, args, { env, onStdout } = {}) {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  const tracked = { child, pid: child.pid, output: '', exited: null, spawnedAt: nowMs() };
  const keep = (chunk) => {
    tracked.output = (tracked.output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', (c) => {
    keep(c);
    onStdout?.(c.toString());
  });
  child.stderr.on('data', keep);
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      tracked.exited = { code, signal };
      resolve(tracked.exited);
    });
  });
  tracked.stop = async (graceMs = 10_000) => {
    if (tracked.exited) {
      return tracked.exited;
    }
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => tracked.exited || process.kill(child.pid, 'SIGKILL'), graceMs);
    const result = await exit;
    clearTimeout(timer);
    return result;
  };
  return tracked;
}

/** Polls url every intervalMs until it answers 200; returns ms since the process was spawned. */
export async function waitReady(tracked, url, { deadlineMs = 30_000, intervalMs = 2 } = {}) {
  while (nowMs() - tracked.spawnedAt < deadlineMs) {
    if (tracked.exited) {
      throw new Error(
        `process exited (${JSON.stringify(tracked.exited)}) before ${url} answered: ${tracked.output}`,
      );
    }
    if ((await probe(url)) === 200) {
      return nowMs() - tracked.spawnedAt;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms: ${tracked.output}`);
}
