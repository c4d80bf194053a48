// Listening beyond loopback needs --tls --token; with them kubeproc serves HTTPS with its own CA,
// demands the bearer token, and merges a 0600 kubeconfig that real kubectl uses as is.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './harness.js';
import { apiRequest, launchKubeproc, tempDir } from './processes.js';
import type { Launched } from './processes.js';

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: { token?: string } }[];
  contexts: { name: string; context: { cluster: string; user?: string } }[];
  'current-context': string;
}

const dirs: string[] = [];
const servers: Launched[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function newDir(): string {
  const dir = tempDir('kubeproc-security-');
  dirs.push(dir);
  return dir;
}

function kubectl(
  dir: string,
  kubeconfig: string,
  args: string[],
  cache = 'cache',
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('kubectl', [`--cache-dir=${join(dir, cache)}`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const clusterOf = (c: Kubeconfig, name: string) => c.clusters.find((e) => e.name === name)?.cluster;
const userOf = (c: Kubeconfig, name: string) => c.users.find((e) => e.name === name)?.user;
const contextOf = (c: Kubeconfig, name: string) => c.contexts.find((e) => e.name === name)?.context;

describe('kubeproc up --address beyond loopback', () => {
  it.each([
    [['--address', '0.0.0.0']],
    [['--address', '0.0.0.0', '--tls']],
    [['--address', '0.0.0.0', '--token']],
  ])('refuses %j with one clear line and a non-zero exit', (extra) => {
    const dir = newDir();
    const kubeconfig = join(dir, 'kubeconfig');
    const r = spawnSync(
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
        '--network',
        'host',
        ...extra,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, HOME: dir },
        timeout: 20_000,
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^kubeproc: refusing to listen on 0\.0\.0\.0 without authentication: add --tls --token\b/,
    );
    expect(existsSync(kubeconfig)).toBe(false);
  });
});

describe('kubeproc up --tls --token', () => {
  let dir: string;
  let kubeconfig: string;
  let server: Launched;
  let config: Kubeconfig;
  let ca: string;
  let token: string;

  beforeAll(async () => {
    dir = newDir();
    kubeconfig = join(dir, 'kubeconfig');
    // A kubeconfig someone already uses, readable by others: kubeproc must keep its entries.
    const existing = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'other', cluster: { server: 'https://192.0.2.1:6443' } }],
      users: [{ name: 'other', user: { token: 'other-token' } }],
      contexts: [{ name: 'other', context: { cluster: 'other', user: 'other' } }],
      'current-context': 'other',
    };
    writeFileSync(kubeconfig, YAML.stringify(existing), { mode: 0o644 });
    server = await launchKubeproc({
      dataDir: join(dir, 'data'),
      kubeconfig,
      home: dir,
      args: ['--tls', '--token'],
    });
    servers.push(server);
    config = YAML.parse(readFileSync(kubeconfig, 'utf8')) as Kubeconfig;
    ca = Buffer.from(
      clusterOf(config, 'kubeproc')?.['certificate-authority-data'] ?? '',
      'base64',
    ).toString('utf8');
    token = userOf(config, 'kubeproc')?.token ?? '';
  });

  it('serves https on 127.0.0.1 and writes the CA and token into the kubeconfig', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(clusterOf(config, 'kubeproc')?.server).toBe(server.url);
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(contextOf(config, 'kubeproc')).toEqual({ cluster: 'kubeproc', user: 'kubeproc' });
    expect(config['current-context']).toBe('kubeproc');
  });

  it('keeps the pre-existing context, cluster and user, and makes the file 0600', () => {
    expect(contextOf(config, 'other')).toEqual({ cluster: 'other', user: 'other' });
    expect(clusterOf(config, 'other')).toEqual({ server: 'https://192.0.2.1:6443' });
    expect(userOf(config, 'other')).toEqual({ token: 'other-token' });
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
  });

  it('lets real kubectl list namespaces through TLS with the token', () => {
    const r = kubectl(dir, kubeconfig, ['get', 'ns']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^default\s+Active\s+/m);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { token: 'x'.repeat(43) }],
    ['a non-bearer header', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } }],
  ])('answers a request with %s with 401 Unauthorized', async (_what, auth) => {
    const res = await apiRequest(server.url, '/api/v1/namespaces', { ca, ...auth });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const ok = await apiRequest(server.url, '/api/v1/namespaces', { ca, token });
    expect(ok.status).toBe(200);
  });

  it('is not reachable by a client that does not trust its CA', async () => {
    await expect(apiRequest(server.url, '/version', { token })).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  // kubectl prompts for a password when a user has no credentials at all, so these kubeconfigs
  // carry the cluster and CA but a stale token or basic auth instead of the token. Discovery
  // (cold cache) words the 401 itself, as against upstream; a Status-decoding request prints ours.
  const creds = 'the server has asked for the client to provide credentials';
  it.each([
    {
      what: 'a stale token',
      cache: 'cold',
      user: { token: 'stale' },
      args: ['get', 'ns'],
      why: creds,
    },
    {
      what: 'basic auth',
      cache: 'cold',
      user: { username: 'u', password: 'p' },
      args: ['get', 'ns'],
      why: creds,
    },
    {
      what: 'a stale token',
      cache: 'warm',
      user: { token: 'stale' },
      args: ['get', 'ns'],
      why: 'Unauthorized',
    },
    {
      what: 'a stale token',
      cache: 'cold',
      user: { token: 'stale' },
      args: ['get', '--raw', '/api/v1/namespaces'],
      why: 'Unauthorized',
    },
  ])(
    'makes kubectl with $what ($cache discovery cache) say it must log in ($args)',
    ({ cache, user, args, why }) => {
      const cluster = config.clusters.find((c) => c.name === 'kubeproc');
      const file = join(dir, 'no-token.kubeconfig');
      const other = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [cluster],
        users: [{ name: 'u', user }],
        contexts: [{ name: 'u', context: { cluster: 'kubeproc', user: 'u' } }],
        'current-context': 'u',
      };
      writeFileSync(file, YAML.stringify(other), { mode: 0o600 });
      const cacheDir = `${cache}-${Object.keys(user).join()}-${args.length}`;
      if (cache === 'warm') {
        expect(kubectl(dir, kubeconfig, ['get', 'ns'], cacheDir).code).toBe(0);
      }
      const r = kubectl(dir, file, args, cacheDir);
      expect(r.code).toBe(1);
      // Upstream clusters print the same: discovery gets no Status body it can decode, --raw does.
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        `error: You must be logged in to the server (${why})`,
      );
    },
  );
});

describe('kubeproc up --address 0.0.0.0 --tls --token', () => {
  it('starts, and writes a kubeconfig kubectl uses over 127.0.0.1', async () => {
    const dir = newDir();
    const kubeconfig = join(dir, 'kubeconfig');
    const server = await launchKubeproc({
      dataDir: join(dir, 'data'),
      kubeconfig,
      home: dir,
      args: ['--address', '0.0.0.0', '--tls', '--token'],
    });
    servers.push(server);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = kubectl(dir, kubeconfig, ['get', 'ns', 'default', '-o', 'name']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('namespace/default\n');
  });
});
