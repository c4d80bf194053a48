// Starts the built kubeproc on a free loopback port in a temp dir and drives it with the real
// kubectl (never a mock). Every test file stops what it started, by process group.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reapPods } from '../../src/node/kubelet/reap.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/kubeproc.js');
export const FIXTURES = join(ROOT, 'test/fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubeproc {
  dir: string;
  url: string;
  kubeconfig: string;
  child: ChildProcess;
  /** Runs kubectl (the dispatcher on PATH unless `binary` names another) against this instance. */
  kubectl(
    args: string[],
    opts?: { input?: string; binary?: string; env?: Record<string, string> },
  ): RunResult;
  /** Runs kubectl and returns its stdout; throws with stderr when it exits non-zero. */
  kubectlOk(args: string[], input?: string): string;
  stop(): Promise<void>;
}

/** Address ranges of one test file for `--network isolated`. */
export interface IsolatedNetwork {
  podCidr: string;
  serviceCidr: string;
  /** `--network isolated --pod-cidr ... --service-cidr ...` */
  args: string[];
  /** This file's /24 at offset (0 pods, 1 services, 2 and 3 free) as a prefix: `10.123.9.`. */
  prefix(offset: number): string;
  /** What all four share: `10.123.`. */
  sharedPrefix: string;
}

/**
 * Pod and Service ranges in 10.100-199.x chosen at random, four /24s each, so test files running
 * side by side (and colleagues' instances on this machine) never overlap.
 */
export function isolatedNetwork(): IsolatedNetwork {
  const second = 100 + Math.floor(Math.random() * 100);
  const third = 4 * Math.floor(Math.random() * 64);
  const prefix = (offset: number) => `10.${second}.${third + offset}.`;
  const podCidr = `${prefix(0)}0/24`;
  const serviceCidr = `${prefix(1)}0/24`;
  return {
    podCidr,
    serviceCidr,
    args: ['--network', 'isolated', '--pod-cidr', podCidr, '--service-cidr', serviceCidr],
    prefix,
    sharedPrefix: `10.${second}.`,
  };
}

function kubectlPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error('kubectl is not on PATH: the integration tests need the real kubectl');
  }
  return found;
}

/** The directory holding kubectl.1.27 ... kubectl.1.33 beside the real binary. */
export function kubectlVersionsDir(): string {
  return dirname(spawnSync('readlink', ['-f', kubectlPath()], { encoding: 'utf8' }).stdout.trim());
}

export async function startKubeproc(extraArgs: string[] = []): Promise<Kubeproc> {
  kubectlPath();
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-it-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(
    process.execPath,
    [
      BIN,
      'up',
      '--data-dir',
      join(dir, 'data'),
      '--api-port',
      '0',
      '--kubeconfig',
      kubeconfig,
      // Tests written for host mode stay in it; pod-network tests choose isolated themselves.
      ...(extraArgs.includes('--network') ? [] : ['--network', 'host']),
      ...extraArgs,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } },
  );
  let output = '';
  const started = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kubeproc did not start in 20s:\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /API listening on (\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubeproc exited with ${code}:\n${output}`));
    });
  });
  // A kubeproc that never came up (a refused flag, a test of that) leaves no temp dir behind.
  const url = await started.catch((e: unknown) => {
    if (child.exitCode === null && child.pid) {
      process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const kubectl = (
    args: string[],
    opts: { input?: string; binary?: string; env?: Record<string, string> } = {},
  ): RunResult => {
    const bin = opts.binary ? join(kubectlVersionsDir(), opts.binary) : 'kubectl';
    const r = spawnSync(bin, [`--cache-dir=${join(dir, 'cache')}`, ...args], {
      encoding: 'utf8',
      input: opts.input ?? '',
      env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig, ...opts.env },
      timeout: 60_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // App processes outlive kubeproc by design (adoption); a test leaves none behind.
    await reapPods(join(dir, 'data'));
    rmSync(dir, { recursive: true, force: true });
  };
  const kubectlOk = (args: string[], input?: string): string => {
    const r = kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  };
  return { dir, url, kubeconfig, child, kubectl, kubectlOk, stop };
}

/** Polls fn until it returns true or the deadline passes; the message says what was awaited. */
export async function eventually(
  what: string,
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
