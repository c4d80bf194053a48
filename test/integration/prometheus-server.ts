// A real Prometheus for integration tests: Debian's package (installed with apt-get when missing),
// started on a free loopback port with a temporary config and data dir, stopped by its PID.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eventually } from './harness.js';

/** Debian's prometheus binary, installed with apt-get when missing; `why` when it cannot be. */
export function ensurePrometheus(): { bin?: string; why?: string } {
  const which = () =>
    spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
  if (which()) {
    return { bin: which() };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], {
      encoding: 'utf8',
      env,
      timeout: 300_000,
    });
  let r = install();
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { encoding: 'utf8', env, timeout: 300_000 });
    r = install();
  }
  return which()
    ? { bin: which() }
    : { why: `apt-get install prometheus failed: ${(r.stderr || String(r.error)).slice(-300)}` };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface PromTarget {
  labels: Record<string, string>;
  scrapeInterval?: string;
  scrapeTimeout?: string;
  health: string;
  lastError: string;
}

/** One Prometheus process scraping kubeproc's http_sd targets every second. */
export class PrometheusServer {
  log = '';
  private child: ChildProcess | undefined;

  constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts with the snippet ADR 0011 gives users (1s periods); resolves once ready. */
  async start(targetsUrl: string): Promise<void> {
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: kubeproc',
        '    http_sd_configs:',
        `      - url: ${targetsUrl}`,
        '        refresh_interval: 1s',
        '',
      ].join('\n'),
    );
    const args = [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(this.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--log.level=warn',
    ];
    const child = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.log += c.toString()));
    await eventually('Prometheus to be ready', async () => {
      const res = await fetch(`${this.url}/-/ready`).catch(() => undefined);
      return res?.status === 200;
    });
  }

  /** Prometheus' view of its targets (/api/v1/targets). */
  async activeTargets(): Promise<PromTarget[]> {
    const res = await fetch(`${this.url}/api/v1/targets?state=active`);
    const body = (await res.json()) as { data?: { activeTargets?: PromTarget[] } };
    return body.data?.activeTargets ?? [];
  }

  /** SIGTERM by PID (SIGKILL after 10 s); resolves once it exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) {
      return;
    }
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
