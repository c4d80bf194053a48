// Tests for kubeconfig writing: real files in temp dirs, read back by YAML and by real kubectl.
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { removeKubeconfigEntries, resolveKubeconfigPath, writeKubeconfig } from './kubeconfig.js';

const run = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeproc-kubeconfig-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const KIND_CONFIG = `# written by kind
apiVersion: v1
kind: Config
clusters:
- name: kind-kind
  cluster:
    server: https://127.0.0.1:40000
    insecure-skip-tls-verify: true
users:
- name: kind-kind
  user:
    token: kind-token
contexts:
- name: kind-kind
  context:
    cluster: kind-kind
    user: kind-kind
current-context: kind-kind
preferences:
  colors: true
`;

function read(path: string): Record<string, unknown> {
  return YAML.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function names(config: Record<string, unknown>, key: string): unknown[] {
  return (config[key] as { name: unknown }[]).map((e) => e.name);
}

async function kubectl(path: string, ...args: string[]): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  const { stdout } = await run('kubectl', [...args, '--kubeconfig', path], { env });
  return stdout;
}

describe('writeKubeconfig', () => {
  it('creates the file and its directory, mode 0600, readable by kubectl', async () => {
    const path = join(dir, 'nested', '.kube', 'config');
    await writeKubeconfig({
      path,
      name: 'kubeproc',
      server: 'https://127.0.0.1:6443',
      caPem: CA_PEM,
      token: 'secret',
      namespace: 'default',
      makeCurrent: true,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(read(path)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [
        {
          name: 'kubeproc',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority-data': Buffer.from(CA_PEM).toString('base64'),
          },
        },
      ],
      users: [{ name: 'kubeproc', user: { token: 'secret' } }],
      contexts: [
        {
          name: 'kubeproc',
          context: { cluster: 'kubeproc', user: 'kubeproc', namespace: 'default' },
        },
      ],
      'current-context': 'kubeproc',
    });
    expect(await kubectl(path, 'config', 'current-context')).toBe('kubeproc\n');
    const caData = await kubectl(
      path,
      'config',
      'view',
      '--raw',
      '-o',
      'jsonpath={.clusters[0].cluster.certificate-authority-data}',
    );
    expect(Buffer.from(caData, 'base64').toString()).toBe(CA_PEM);
  });

  it('merges into a file with another context and keeps it', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, KIND_CONFIG, { mode: 0o644 });
    await writeKubeconfig({
      path,
      name: 'kubeproc',
      server: 'http://127.0.0.1:6443',
      makeCurrent: true,
    });
    const config = read(path);
    expect(names(config, 'clusters')).toEqual(['kind-kind', 'kubeproc']);
    expect(names(config, 'users')).toEqual(['kind-kind']);
    expect(names(config, 'contexts')).toEqual(['kind-kind', 'kubeproc']);
    expect(config.preferences).toEqual({ colors: true });
    expect(config['current-context']).toBe('kubeproc');
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const contexts = await kubectl(path, 'config', 'get-contexts');
    expect(contexts).toMatch(/^\s+kind-kind\s+kind-kind\s+kind-kind\s*$/m);
    // A context without a user is allowed; the AUTHINFO column is then empty.
    expect(contexts).toMatch(/^\*\s+kubeproc\s+kubeproc\s*$/m);
  });

  it.each([
    [true, 'kubeproc'],
    [false, 'kind-kind'],
  ])('with makeCurrent %s the current context is %s', async (makeCurrent, current) => {
    const path = join(dir, 'config');
    writeFileSync(path, KIND_CONFIG);
    await writeKubeconfig({ path, name: 'kubeproc', server: 'http://x', makeCurrent });
    expect(read(path)['current-context']).toBe(current);
  });

  it('updates its own entries in place instead of duplicating them', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, KIND_CONFIG);
    const base = { path, name: 'kubeproc', makeCurrent: true };
    await writeKubeconfig({ ...base, server: 'https://127.0.0.1:1', caPem: CA_PEM, token: 'a' });
    await writeKubeconfig({ ...base, server: 'https://127.0.0.1:2', token: 'b', namespace: 'ns' });
    const config = read(path);
    expect(names(config, 'clusters')).toEqual(['kind-kind', 'kubeproc']);
    expect(config.clusters).toContainEqual({
      name: 'kubeproc',
      cluster: { server: 'https://127.0.0.1:2' },
    });
    expect(config.users).toContainEqual({ name: 'kubeproc', user: { token: 'b' } });
    expect(config.contexts).toContainEqual({
      name: 'kubeproc',
      context: { cluster: 'kubeproc', user: 'kubeproc', namespace: 'ns' },
    });

    await writeKubeconfig({ ...base, server: 'http://127.0.0.1:3' });
    const noAuth = read(path);
    expect(names(noAuth, 'users')).toEqual(['kind-kind']);
    expect(noAuth.contexts).toContainEqual({ name: 'kubeproc', context: { cluster: 'kubeproc' } });
  });

  it('keeps YAML 1.1 look-alike strings as strings for kubectl', async () => {
    const path = join(dir, 'config');
    await writeKubeconfig({
      path,
      name: 'on',
      server: 'http://x',
      namespace: 'yes',
      makeCurrent: true,
    });
    expect(
      await kubectl(path, 'config', 'view', '-o', 'jsonpath={.contexts[0].context.namespace}'),
    ).toBe('yes');
    expect(await kubectl(path, 'config', 'current-context')).toBe('on\n');
  });

  it('writes through a symlink and accepts an empty file', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'link-config');
    writeFileSync(real, '');
    symlinkSync(real, link);
    await writeKubeconfig({ path: link, name: 'kubeproc', server: 'http://x', makeCurrent: true });
    expect(read(real)['current-context']).toBe('kubeproc');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('waits for the lock file another writer holds', async () => {
    const path = join(dir, 'config');
    writeFileSync(`${path}.lock`, '');
    const pending = writeKubeconfig({ path, name: 'k', server: 'http://x', makeCurrent: true });
    setTimeout(() => rmSync(`${path}.lock`), 200);
    await pending;
    expect(read(path)['current-context']).toBe('k');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('rejects a file that is not a mapping', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, '- just\n- a list\n');
    await expect(
      writeKubeconfig({ path, name: 'k', server: 'http://x', makeCurrent: true }),
    ).rejects.toThrow('is not a mapping');
    expect(readFileSync(path, 'utf8')).toBe('- just\n- a list\n');
  });
});

describe('removeKubeconfigEntries', () => {
  it('removes only its own entries and clears current-context when it was ours', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, KIND_CONFIG);
    await writeKubeconfig({
      path,
      name: 'kubeproc',
      server: 'http://x',
      token: 't',
      makeCurrent: true,
    });
    await removeKubeconfigEntries(path, 'kubeproc');
    const config = read(path);
    expect(names(config, 'clusters')).toEqual(['kind-kind']);
    expect(names(config, 'users')).toEqual(['kind-kind']);
    expect(names(config, 'contexts')).toEqual(['kind-kind']);
    expect(config['current-context']).toBe('');
    expect(await kubectl(path, 'config', 'get-contexts', '-o', 'name')).toBe('kind-kind\n');
  });

  it('leaves another current context alone and a missing file missing', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, KIND_CONFIG);
    await removeKubeconfigEntries(path, 'kubeproc');
    expect(read(path)['current-context']).toBe('kind-kind');
    const missing = join(dir, 'nope', 'config');
    await removeKubeconfigEntries(missing, 'kubeproc');
    expect(existsSync(missing)).toBe(false);
  });
});

describe('resolveKubeconfigPath', () => {
  it.each<[string | undefined, NodeJS.ProcessEnv, string]>([
    ['/flag/config', { KUBECONFIG: '/env/a', HOME: '/home/u' }, '/flag/config'],
    ['', { KUBECONFIG: '/env/a:/env/b', HOME: '/home/u' }, '/env/a'],
    [undefined, { KUBECONFIG: ':/env/b', HOME: '/home/u' }, '/env/b'],
    [undefined, { KUBECONFIG: '', HOME: '/home/u' }, '/home/u/.kube/config'],
    [undefined, { HOME: '/home/u' }, '/home/u/.kube/config'],
  ])('flag %j with %j gives %s', (flag, env, want) => {
    expect(resolveKubeconfigPath(flag, env)).toBe(want);
  });

  it('defaults to the process environment', () => {
    mkdirSync(join(dir, 'x'));
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(dir, 'x', 'config');
    try {
      expect(resolveKubeconfigPath()).toBe(join(dir, 'x', 'config'));
    } finally {
      if (saved === undefined) {
        delete process.env.KUBECONFIG;
      } else {
        process.env.KUBECONFIG = saved;
      }
    }
  });
});
