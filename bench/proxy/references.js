// The reference proxies: nginx (Debian's package, in the foreground from a temp dir of its own,
// an upstream of the same backend processes with keep-alive, stopped by its master's PID and its
// workers' too) and minimal-proxy.mjs (the least a Node proxy does), each on a free port.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnTracked } from '../api/processes.js';
import { childPids } from './cpu.js';
import { get, waitFor } from './workload.js';

/**
 * The nginx.conf of one instance: `workers` worker processes, one upstream keeping up to
 * `keepalive` idle connections per worker, no access log.
 */
export function nginxConfig({ dir, port, workers, endpoints, keepalive }) {
  const temp = (name) => `${name}_temp_path ${join(dir, 'tmp', name)};`;
  return `worker_processes ${workers};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {
  worker_connections 1024;
}
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  upstream backends {
    ${endpoints.map((ep) => `server ${ep};`).join('\n    ')}
    keepalive ${keepalive};
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/**
 * Starts nginx in the foreground with `workers` ('1', '2' or 'auto') in front of endpoints
 * (host:port), `keepalive` as in nginxConfig; resolves once it answers `ok`, with
 * { pid, url, workerPids, stop() }.
 */
export async function startNginx({ binary, workers, endpoints, keepalive }) {
  const dir = mkdtempSync(join(tmpdir(), `kubeproc-bench-nginx-${workers}-`));
  // Workers run as nobody when the master is root; they must reach the temp paths.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'tmp'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ dir, port, workers, endpoints, keepalive }));
  // -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
  const args = ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off;'];
  const tracked = spawnTracked(binary, args);
  let workerPids = [];
  const stop = async () => {
    const exit = await tracked.stop();
    for (const pid of workerPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch (e) {
        if (e.code !== 'ESRCH') {
          throw e;
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    return exit;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (tracked.exited) {
        throw new Error(`nginx exited (${JSON.stringify(tracked.exited)}): ${tracked.output}`);
      }
      return (await get(`${url}/`)).body === 'ok';
    }, `nginx (${workers} workers) answering ok on ${url}`);
    workerPids = childPids(tracked.pid);
    return { pid: tracked.pid, url, workerPids, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const MINIMAL = fileURLToPath(new URL('./minimal-proxy.mjs', import.meta.url));

/** Starts minimal-proxy.mjs (node flags nodeArgs) before endpoints; resolves once it answers ok. */
export async function startMinimalProxy(endpoints, nodeArgs = []) {
  const port = await freePort();
  const args = [...nodeArgs, MINIMAL, String(port), ...endpoints];
  const tracked = spawnTracked(process.execPath, args);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (tracked.exited) {
        throw new Error(
          `minimal-proxy exited (${JSON.stringify(tracked.exited)}): ${tracked.output}`,
        );
      }
      return (await get(`${url}/`)).body === 'ok';
    }, `minimal-proxy answering ok on ${url}`);
    return { pid: tracked.pid, url, stop: () => tracked.stop() };
  } catch (e) {
    await tracked.stop();
    throw e;
  }
}
