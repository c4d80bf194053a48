// etcd as the storage peer: locating (or apt-installing) the binary, starting it on free
// loopback ports in a temp dir, and a tiny client for its v3 HTTP/JSON gateway.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { requestJson } from './http.js';
import { freePort, spawnTracked, waitReady } from './processes.js';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory; keep looking
    }
  }
  return undefined;
}

function apt(args) {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 240_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Finds etcd, installing Debian's etcd-server when missing and allowed; { path, version } or { reason }. */
export function locateEtcd() {
  let path = onPath('etcd');
  let installed = false;
  if (!path) {
    if (process.getuid?.() !== 0 || !onPath('apt-get')) {
      return {
        reason:
          'etcd is not installed and apt-get is unavailable or not running as root (apt-get install -y etcd-server)',
      };
    }
    try {
      try {
        apt(['install', '-y', 'etcd-server']);
      } catch {
        apt(['update']);
        apt(['install', '-y', 'etcd-server']);
      }
    } catch (e) {
      return {
        reason: `apt-get install -y etcd-server failed: ${String(e.stderr ?? e.message)
          .trim()
          .split('\n')
          .slice(-2)
          .join(' ')}`,
      };
    }
    path = onPath('etcd');
    installed = true;
    if (!path) {
      return { reason: 'etcd-server installed but no etcd binary on PATH' };
    }
  }
  const version =
    /etcd Version: (\S+)/.exec(execFileSync(path, ['--version'], { encoding: 'utf8' }))?.[1] ??
    'unknown';
  return { path, version, installedByThisRun: installed };
}

/** Starts a single-member etcd in a fresh temp dir; resolves once GET /health answers 200. */
export async function startEtcd(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-bench-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name',
    'bench',
    '--data-dir',
    join(dir, 'data'),
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `bench=${peer}`,
    '--initial-cluster-state',
    'new',
    '--log-level',
    'warn',
  ];
  const tracked = spawnTracked(binary, args);
  const stop = async () => {
    const exit = await tracked.stop();
    rmSync(dir, { recursive: true, force: true });
    return exit;
  };
  try {
    const readyMs = await waitReady(tracked, `${url}/health`);
    return { pid: tracked.pid, url, readyMs, stop, tracked };
  } catch (e) {
    await stop();
    throw e;
  }
}

export const b64 = (s) => Buffer.from(s).toString('base64');

/** The range_end that selects every key starting with prefix. */
export function prefixEnd(prefix) {
  const bytes = Buffer.from(prefix);
  bytes[bytes.length - 1]++;
  return bytes.toString('base64');
}

/**
 * A client for one etcd's v3 HTTP/JSON gateway: call('kv/range', body) and the two
 * compare-and-put transactions the apiserver's etcd3 store uses. Each resolves with
 * { ms, body, json, end } (plus revision for the transactions).
 */
export function etcdClient(url, agent) {
  const call = (name, body) =>
    requestJson(url, { method: 'POST', path: `/v3/${name}`, body, agent, timeoutMs: 60_000 });
  const txnPut = async (key, value, compare, failure) => {
    const r = await call('kv/txn', {
      compare: [{ key: b64(key), ...compare }],
      success: [{ request_put: { key: b64(key), value } }],
    });
    if (!r.json.succeeded) {
      throw new Error(`etcd txn on ${key}: ${failure}`);
    }
    return { ...r, revision: Number(r.json.header.revision) };
  };
  return {
    call,
    /** Puts key only if absent (create). */
    txnCreate: (key, value) =>
      txnPut(key, value, { target: 'CREATE', result: 'EQUAL', create_revision: '0' }, 'key exists'),
    /** Puts key only if it is still at modRevision (update). */
    txnUpdate: (key, value, modRevision) =>
      txnPut(
        key,
        value,
        { target: 'MOD', result: 'EQUAL', mod_revision: String(modRevision) },
        'revision moved',
      ),
  };
}
