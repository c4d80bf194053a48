// Tests for serving certificates and tokens: real files, a real Node https server, real kubectl.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServingCerts, ensureToken, generateToken } from './tls.js';

const run = promisify(execFile);
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeproc-tls-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('ensureServingCerts', () => {
  it('creates a CA and a server certificate covering the default and extra hosts', async () => {
    const certs = await ensureServingCerts(dir, ['10.1.2.3', 'node1.example', '::1']);
    expect(certs.caPath).toBe(join(dir, 'pki', 'ca.crt'));
    expect(mode(certs.keyPath)).toBe(0o600);
    expect(mode(join(dir, 'pki', 'ca.key'))).toBe(0o600);
    expect(readFileSync(certs.certPath, 'utf8')).toBe(certs.certPem);

    const ca = new X509Certificate(certs.caPem);
    const server = new X509Certificate(certs.certPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    for (const ip of ['127.0.0.1', '10.1.2.3', '::1']) {
      expect(server.checkIP(ip)).toBe(ip);
    }
    for (const name of ['localhost', 'node1.example']) {
      expect(server.checkHost(name, { subject: 'never' })).toBe(name);
    }
    expect(server.checkHost('other.example', { subject: 'never' })).toBeUndefined();
  });

  interface Case {
    name: string;
    newCa: boolean;
    newCert: boolean;
    damage?: (dir: string) => void;
    hosts?: string[];
    now?: Date;
  }
  it.each<Case>([
    { name: 'nothing changed', newCa: false, newCert: false },
    { name: 'a new host', newCa: false, newCert: true, hosts: ['192.168.9.9'] },
    {
      name: 'a corrupt server certificate',
      newCa: false,
      newCert: true,
      damage: (d) => writeFileSync(join(d, 'pki', 'server.crt'), 'garbage'),
    },
    {
      name: 'a server key that does not match',
      newCa: false,
      newCert: true,
      damage: (d) =>
        writeFileSync(join(d, 'pki', 'server.key'), readFileSync(join(d, 'pki', 'ca.key'))),
    },
    {
      name: 'an expiring server certificate',
      newCa: false,
      newCert: true,
      now: new Date(Date.now() + YEAR_MS),
    },
    {
      name: 'an expiring CA',
      newCa: true,
      newCert: true,
      now: new Date(Date.now() + 10 * YEAR_MS),
    },
    {
      name: 'a missing CA key',
      newCa: true,
      newCert: true,
      damage: (d) => rmSync(join(d, 'pki', 'ca.key')),
    },
  ])('after $name: new CA $newCa, new server cert $newCert', async (c) => {
    const { newCa, newCert, hosts = [], now } = c;
    const first = await ensureServingCerts(dir, ['node1']);
    c.damage?.(dir);
    const second = await ensureServingCerts(dir, ['node1', ...hosts], now);
    expect(second.caPem !== first.caPem).toBe(newCa);
    expect(second.certPem !== first.certPem).toBe(newCert);
    expect(second.keyPem !== first.keyPem).toBe(newCert);
    const server = new X509Certificate(second.certPem);
    expect(server.verify(new X509Certificate(second.caPem).publicKey)).toBe(true);
  });
});

/** An https stub that answers /version the way an apiserver does, and 401 without the token. */
async function startStub(certPem: string, keyPem: string, token: string): Promise<Server> {
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.4',
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.23.6',
        compiler: 'gc',
        platform: 'linux/amd64',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function fetchStatus(port: number, host: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', servername: host, port, path: '/version', ca };
    get({ ...options, headers: { authorization: 'Bearer t' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('serving with the certificate', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('is trusted by a Node client given the CA, and only then', async () => {
    const certs = await ensureServingCerts(dir, []);
    server = await startStub(certs.certPem, certs.keyPem, 't');
    const { port } = server.address() as AddressInfo;
    await expect(fetchStatus(port, 'localhost', certs.caPem)).resolves.toBe(200);
    await expect(fetchStatus(port, 'localhost', undefined)).rejects.toThrow(/unable to verify/i);
    await expect(fetchStatus(port, 'elsewhere.example', certs.caPem)).rejects.toThrow(/altnames/i);
  });

  it('is trusted by kubectl through certificate-authority-data', async () => {
    const certs = await ensureServingCerts(dir, []);
    const token = ensureToken(dir);
    server = await startStub(certs.certPem, certs.keyPem, token);
    const { port } = server.address() as AddressInfo;
    const kubeconfig = (caPem: string, user: string): string => {
      const path = join(dir, `kubeconfig-${user}`);
      const config = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: {
              server: `https://127.0.0.1:${port}`,
              'certificate-authority-data': Buffer.from(caPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'u', user: { token } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      };
      writeFileSync(path, JSON.stringify(config));
      return path;
    };
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
    const ok = await run('kubectl', ['version', '--kubeconfig', kubeconfig(certs.caPem, 'good')], {
      env,
    });
    expect(ok.stdout).toContain('Server Version: v1.32.4');

    const otherCa = (await ensureServingCerts(join(dir, 'other'), [])).caPem;
    const bad = run('kubectl', ['version', '--kubeconfig', kubeconfig(otherCa, 'bad')], { env });
    await expect(bad).rejects.toMatchObject({
      stderr: expect.stringContaining('certificate signed by unknown authority') as string,
    });
  });
});

describe('tokens', () => {
  it('generates distinct URL-safe tokens of 32 bytes', () => {
    const tokens = new Set(Array.from({ length: 20 }, () => generateToken()));
    expect(tokens.size).toBe(20);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('persists the token with mode 0600 and returns it again', () => {
    const first = ensureToken(join(dir, 'data'));
    const path = join(dir, 'data', 'token');
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(ensureToken(join(dir, 'data'))).toBe(first);
    writeFileSync(path, '  kept-token\n', { mode: 0o644 });
    expect(ensureToken(join(dir, 'data'))).toBe('kept-token');
    expect(mode(path)).toBe(0o600);
    writeFileSync(path, '\n');
    expect(ensureToken(join(dir, 'data'))).not.toBe('');
  });
});
