// kubeconfig files: upserts kubeproc's cluster, user and context kind-style (all under one name),
// removes them again, and finds which file to write. Everything else in the file is kept.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';

export interface KubeconfigOptions {
  path: string;
  /** The name of the cluster, user and context entries. */
  name: string;
  server: string;
  caPem?: string;
  token?: string;
  namespace?: string;
  makeCurrent: boolean;
}

type Entry = Record<string, unknown> & { name?: unknown };
type Config = Record<string, unknown>;

const LISTS = ['clusters', 'users', 'contexts'] as const;
// kubectl reads kubeconfig as YAML 1.1, so write it that way too ("yes" must stay a string).
const YAML_OPTIONS = { version: '1.1', lineWidth: 0 } as const;

/** The file to write: the flag, else the first $KUBECONFIG entry, else ~/.kube/config. */
export function resolveKubeconfigPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') {
    return flag;
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p !== '');
  if (fromEnv !== undefined) {
    return fromEnv;
  }
  return join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(), '.kube', 'config');
}

const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 50;

/**
 * Runs fn holding `<file>.lock`, the lock file kubectl's own config writers take (O_EXCL), so a
 * concurrent `kubectl config` or second kubeproc cannot interleave its read-modify-write with ours.
 */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lockPath, 'wx', 0o600)).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) {
        throw new Error(`locking kubeconfig ${path} (remove ${lockPath} if it is stale)`, {
          cause: e,
        });
      }
      await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** The parsed file, or undefined when it does not exist. */
async function readConfig(path: string): Promise<Config | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`reading kubeconfig ${path}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, YAML_OPTIONS);
  } catch (e) {
    throw new Error(`parsing kubeconfig ${path}`, { cause: e });
  }
  if (parsed == null) {
    return {};
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`kubeconfig ${path} is not a mapping`);
  }
  return parsed as Config;
}

/** Writes through a temp file in the same directory and a rename, with mode 0600. */
async function writeConfig(target: string, config: Config): Promise<void> {
  const tmp = join(
    dirname(target),
    `.kubeconfig.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await writeFile(tmp, YAML.stringify(config, YAML_OPTIONS), { mode: 0o600 });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new Error(`writing kubeconfig ${target}`, { cause: e });
  }
}

function list(config: Config, key: (typeof LISTS)[number]): Entry[] {
  const value = config[key];
  const entries = Array.isArray(value) ? (value as Entry[]) : [];
  config[key] = entries;
  return entries;
}

function upsert(entries: Entry[], name: string, field: string, value: unknown): void {
  const entry: Entry = { name, [field]: value };
  const index = entries.findIndex((e) => e.name === name);
  if (index >= 0) {
    entries[index] = entry;
  } else {
    entries.push(entry);
  }
}

function remove(config: Config, key: (typeof LISTS)[number], name: string): void {
  config[key] = list(config, key).filter((e) => e.name !== name);
}

function newConfig(): Config {
  return { apiVersion: 'v1', kind: 'Config', preferences: {} };
}

/** Upserts cluster, user and context `name` (no user without a token) into the kubeconfig. */
export async function writeKubeconfig(opts: KubeconfigOptions): Promise<void> {
  const target = await resolveLink(opts.path);
  await withLock(target, async () => {
    const config = (await readConfig(target)) ?? newConfig();
    upsertEntries(config, opts);
    await writeConfig(target, config);
  });
}

/** A symlinked kubeconfig is written through, not replaced by a plain file. */
async function resolveLink(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return path;
    }
    throw new Error(`resolving kubeconfig ${path}`, { cause: e });
  }
}

function upsertEntries(config: Config, opts: KubeconfigOptions): void {
  config.apiVersion ??= 'v1';
  config.kind ??= 'Config';

  const cluster: Record<string, string> = { server: opts.server };
  if (opts.caPem !== undefined) {
    cluster['certificate-authority-data'] = Buffer.from(opts.caPem).toString('base64');
  }
  upsert(list(config, 'clusters'), opts.name, 'cluster', cluster);

  const context: Record<string, string> = { cluster: opts.name };
  if (opts.token !== undefined) {
    upsert(list(config, 'users'), opts.name, 'user', { token: opts.token });
    context.user = opts.name;
  } else {
    // Our own stale credentials would otherwise linger after switching auth off.
    remove(config, 'users', opts.name);
  }
  if (opts.namespace !== undefined) {
    context.namespace = opts.namespace;
  }
  upsert(list(config, 'contexts'), opts.name, 'context', context);

  if (opts.makeCurrent) {
    config['current-context'] = opts.name;
  }
}

/** Removes cluster, user and context `name`; a missing file is left missing. */
export async function removeKubeconfigEntries(path: string, name: string): Promise<void> {
  const target = await resolveLink(path);
  if ((await readConfig(target)) === undefined) {
    return;
  }
  await withLock(target, async () => {
    const config = await readConfig(target);
    if (config === undefined) {
      return;
    }
    for (const key of LISTS) {
      remove(config, key, name);
    }
    if (config['current-context'] === name) {
      config['current-context'] = '';
    }
    await writeConfig(target, config);
  });
}
