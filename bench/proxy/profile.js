// Where kubeproc's CPU goes under ingress load: the node flags that write a V8 CPU profile, and a
// summary of .cpuprofile files (busy time; top functions by self and total time; time per file).
// Also a CLI: `node bench/proxy/profile.js <file.cpuprofile | dir> [focus]` prints it as JSON.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { round } from '../api/stats.js';

const TOP = 25;
const IDLE = '(idle)';

/** node's flags for a CPU profile written into dir on exit ([] without a dir). */
export function profileNodeArgs(dir) {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** A short location: the path below dist/ or node_modules/, node:internal/…, or the raw URL. */
function shortLocation(url) {
  const u = url.replace(/^file:\/\//, '');
  const m = /\/(dist|node_modules)\/(.*)$/.exec(u);
  return m ? (m[1] === 'dist' ? m[2] : `node_modules/${m[2]}`) : u || '(native)';
}

/** A coarse owner of a frame: kubeproc's folder, a package, Node's JS, native code, GC. */
function areaOf(node) {
  const { functionName, url } = node.callFrame;
  if (!url) {
    return ['(garbage collector)', '(program)'].includes(functionName)
      ? functionName
      : 'native (socket syscalls, HTTP parser, V8 builtins)';
  }
  if (url.startsWith('node:')) {
    return 'node core (JavaScript)';
  }
  const loc = shortLocation(url);
  if (loc.startsWith('node_modules/')) {
    return loc.split('/').slice(0, 2).join('/');
  }
  return loc.includes('/') && !loc.startsWith('/') ? `kubeproc ${loc.split('/')[0]}/` : loc;
}

function keyOf(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  return url ? `${name} ${shortLocation(url)}:${lineNumber + 1}` : name;
}

/** ms per key, sorted, as [{ name, ms, percentOfBusy }], the top `n`. */
function top(map, busyMs, n = TOP) {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({
      name,
      ms: round(us / 1000, 1),
      percentOfBusy: round((100 * us) / busyMs / 1000, 1),
    }));
}

const add = (map, key, v) => map.set(key, (map.get(key) ?? 0) + v);
const under = (map, part) => new Map([...map].filter(([k]) => k.includes(part)));

/**
 * The summary of one V8 CPU profile (timeDeltas in µs); `focus` (e.g. ' proxy/') also lists the
 * self and total time of every function whose location contains it.
 */
export function summarizeProfile(profile, focus) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const self = new Map();
  const total = new Map();
  const perFile = new Map();
  const perArea = new Map();
  let allUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time until the next sample, so it belongs to that one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    allUs += us;
    if (node.callFrame.functionName === IDLE) {
      idleUs += us;
      return;
    }
    add(self, keyOf(node), us);
    add(perFile, node.callFrame.url ? shortLocation(node.callFrame.url) : keyOf(node), us);
    add(perArea, areaOf(node), us);
    // Total time: each function once per sample, however often it recurs on the stack.
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      seen.add(keyOf(byId.get(n)));
    }
    seen.forEach((k) => add(total, k, us));
  });
  const busyMs = (allUs - idleUs) / 1000;
  total.delete('(root)');
  return {
    wallMs: round(allUs / 1000, 0),
    busyMs: round(busyMs, 0),
    perArea: top(perArea, busyMs, 12),
    topSelf: top(self, busyMs),
    topTotal: top(total, busyMs),
    perFile: top(perFile, busyMs, 20),
    ...(focus
      ? {
          focus,
          focusSelf: top(under(self, focus), busyMs),
          focusTotal: top(under(total, focus), busyMs),
        }
      : {}),
  };
}

/** Summaries of every .cpuprofile in dir (or of one file), the busiest first. */
export function summarizeProfiles(path, focus) {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))
    : [path];
  return files
    .map((f) => ({
      file: basename(f),
      ...summarizeProfile(JSON.parse(readFileSync(f, 'utf8')), focus),
    }))
    .sort((a, b) => b.busyMs - a.busyMs);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(
    `${JSON.stringify(summarizeProfiles(process.argv[2] ?? '.', process.argv[3]), null, 2)}\n`,
  );
}
