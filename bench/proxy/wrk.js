// The load generator: wrk with --latency, run under bash so `times` reports wrk's own CPU, and its
// text output parsed into requests/s, latency percentiles (ms) and error counts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTracked } from '../api/processes.js';
import { onCleanup } from '../api/cleanups.js';
import { round } from '../api/stats.js';
import { childPids } from './cpu.js';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function ms(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text ?? '');
  return m ? round(Number(m[1]) * UNIT_MS[m[2]], 3) : Number.NaN;
}

function count(text) {
  const m = /^([\d.]+)([kMG]?)$/.exec(text ?? '');
  return m ? Number(m[1]) * ({ k: 1e3, M: 1e6, G: 1e9 }[m[2]] ?? 1) : Number.NaN;
}

/** wrk's own CPU seconds: bash's `times` prints the shell's line, then its children's. */
function childCpuSeconds(out) {
  const lines = [...out.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/gm)];
  const c = lines[1];
  return c ? Number(c[1]) * 60 + Number(c[2]) + Number(c[3]) * 60 + Number(c[4]) : Number.NaN;
}

function socketErrors(out) {
  const sock = /connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const [connect, read, write, timeout] = sock ? sock.slice(1).map(Number) : [0, 0, 0, 0];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { non2xx, connect, read, write, timeout };
}

function latency(out) {
  const pct = (p) => ms(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1]);
  const [, mean, stdev, max] = /^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(out) ?? [];
  return {
    p50Ms: pct(50),
    p75Ms: pct(75),
    p90Ms: pct(90),
    p99Ms: pct(99),
    meanMs: ms(mean),
    stdevMs: ms(stdev),
    maxMs: ms(max),
  };
}

/** The figures of one wrk run from its output (throws when the summary is missing). */
export function parseWrk(out) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  const total = /(\d+) requests in ([\d.]+\w+)/.exec(out);
  if (!rps || !total) {
    throw new Error(`unexpected wrk output:\n${out}`);
  }
  return {
    requestsPerSec: round(Number(rps), 0),
    requests: Number(total[1]),
    seconds: ms(total[2]) / 1000,
    latency: latency(out),
    errors: socketErrors(out),
    reqPerSecPerThreadAvg: count(/^\s+Req\/Sec\s+(\S+)/m.exec(out)?.[1]),
    wrkCpuSeconds: round(childCpuSeconds(out), 2),
  };
}

/**
 * A Lua script that points wrk's threads at the given host:port endpoints in turn (thread i gets
 * endpoint i mod n), so a direct run spreads its connections over both backends like a proxy.
 */
export function spreadScript(dir, endpoints) {
  const file = join(dir, 'spread.lua');
  const list = endpoints
    .map((ep) => ep.split(':'))
    .map(([host, port]) => `{"${host}", "${port}"}`)
    .join(', ');
  writeFileSync(
    file,
    `local endpoints = { ${list} }
local next_index = 0
function setup(thread)
  local ep = endpoints[next_index % #endpoints + 1]
  next_index = next_index + 1
  thread.addr = wrk.lookup(ep[1], ep[2])[1]
end
`,
  );
  return file;
}

/** Runs wrk against url for `seconds`; resolves with parseWrk's figures. */
export async function runWrk({ url, seconds, connections, threads, script }) {
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`];
  args.push('--latency', '--timeout', '5s', ...(script ? ['-s', script] : []), url);
  const shell = 'wrk "$@"; rc=$?; times; exit $rc';
  const tracked = spawnTracked('bash', ['-c', shell, 'wrk', ...args]);
  // SIGTERM to bash alone would leave wrk running to the end of its duration.
  onCleanup(async () => {
    if (!tracked.exited) {
      childPids(tracked.pid).forEach((pid) => process.kill(pid, 'SIGTERM'));
      await tracked.stop(1000);
    }
  });
  const exit = await new Promise((resolve) => tracked.child.once('exit', (code) => resolve(code)));
  if (exit !== 0) {
    throw new Error(`wrk ${args.join(' ')} exited ${exit}:\n${tracked.output}`);
  }
  return parseWrk(tracked.output);
}
