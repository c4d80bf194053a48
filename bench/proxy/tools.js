// The benchmark's outside tools (nginx, wrk): found on PATH or installed from Debian's packages
// when running as root, so a fresh machine can run the bench with no manual step.
import { execFileSync, spawnSync } from 'node:child_process';

function onPath(binary) {
  const r = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return r.stdout.trim() || undefined;
}

function apt(args) {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 300_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** The path of `binary`, installing Debian's `pkg` when missing (root only); throws otherwise. */
export function requireTool(binary, pkg, log) {
  const found = onPath(binary);
  if (found) {
    return { path: found, installedByThisRun: false };
  }
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new Error(`${binary} is not on PATH; install it with: apt-get install -y ${pkg}`);
  }
  log(`${binary} not found: apt-get install -y ${pkg}`);
  try {
    try {
      apt(['install', '-y', pkg]);
    } catch {
      // A fresh machine's package lists may be missing or stale.
      apt(['update']);
      apt(['install', '-y', pkg]);
    }
  } catch (e) {
    const why = String(e.stderr ?? e.message)
      .trim()
      .split('\n')
      .slice(-2)
      .join(' ');
    throw new Error(`apt-get install -y ${pkg} failed: ${why}`, { cause: e });
  }
  const path = onPath(binary);
  if (!path) {
    throw new Error(`${pkg} installed but no ${binary} on PATH`);
  }
  return { path, installedByThisRun: true };
}

/** The first line matching `pattern` of `binary args` (stdout or stderr), or 'unknown'. */
export function toolVersion(binary, args, pattern) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  return pattern.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? 'unknown';
}
