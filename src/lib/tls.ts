// Serving TLS for the API server: a self-signed CA and a server certificate it signs, kept under
// <dataDir>/pki and reused while valid; plus the admin bearer token kept in <dataDir>/token.

import { randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface ServingCerts {
  caPem: string;
  certPem: string;
  keyPem: string;
  caPath: string;
  certPath: string;
  keyPath: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
const SERVER_VALIDITY_MS = 365 * DAY_MS;
/** Certificates this close to expiry are replaced at startup. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Backdating tolerates small clock differences between server and clients. */
const BACKDATE_MS = 5 * 60 * 1000;
const ALWAYS_HOSTS = ['127.0.0.1', 'localhost'];

interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** Writes via a temp file and rename so a crash never leaves half a key behind. */
async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

async function readPair(certPath: string, keyPath: string): Promise<KeyPair | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(keyPath, 'utf8'),
    ]);
    return { certPem, keyPem };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`reading ${certPath}`, { cause: e });
  }
}

/** The certificate if it parses, matches its key and stays valid past the renewal window. */
function usableCert(pair: KeyPair | undefined, now: Date): X509Certificate | undefined {
  if (pair === undefined) {
    return undefined;
  }
  try {
    const cert = new X509Certificate(pair.certPem);
    const isFresh = new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;
    const isStarted = new Date(cert.validFrom).getTime() <= now.getTime();
    const hasKey = cert.checkPrivateKey(createPrivateKey(pair.keyPem));
    return isFresh && isStarted && hasKey ? cert : undefined;
  } catch {
    // Unparseable files are regenerated, which is the only sensible recovery.
    return undefined;
  }
}

function coversHosts(cert: X509Certificate, hosts: string[]): boolean {
  return hosts.every((h) =>
    isIP(h) !== 0
      ? cert.checkIP(h) !== undefined
      : cert.checkHost(h, { subject: 'never', wildcards: false }) !== undefined,
  );
}

function validity(now: Date, lifetimeMs: number): { notBeforeDate: Date; notAfterDate: Date } {
  return {
    notBeforeDate: new Date(now.getTime() - BACKDATE_MS),
    notAfterDate: new Date(now.getTime() + lifetimeMs),
  };
}

async function generateCa(now: Date): Promise<KeyPair> {
  // Loaded on demand: the library costs ~100 ms and several MB, and most runs never need it.
  const { generate } = await import('selfsigned');
  const result = await generate([{ name: 'commonName', value: 'kubeproc-ca' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...validity(now, CA_VALIDITY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  return { certPem: result.cert, keyPem: result.private };
}

async function generateServerCert(ca: KeyPair, hosts: string[], now: Date): Promise<KeyPair> {
  const altNames = hosts.map((h) =>
    isIP(h) !== 0 ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
  );
  const { generate } = await import('selfsigned');
  const result = await generate([{ name: 'commonName', value: 'kubeproc' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...validity(now, SERVER_VALIDITY_MS),
    ca: { key: ca.keyPem, cert: ca.certPem },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { certPem: result.cert, keyPem: result.private };
}

/**
 * Returns the CA and serving certificate under <dataDir>/pki, creating them on first use and
 * replacing the server certificate when it misses a host, nears expiry or no longer matches the CA.
 * The CA is kept whenever it is still good, so kubeconfigs written earlier stay valid.
 */
export async function ensureServingCerts(
  dataDir: string,
  hosts: string[],
  now: Date = new Date(),
): Promise<ServingCerts> {
  const pki = join(dataDir, 'pki');
  await mkdir(pki, { recursive: true, mode: 0o700 });
  const caPath = join(pki, 'ca.crt');
  const caKeyPath = join(pki, 'ca.key');
  const certPath = join(pki, 'server.crt');
  const keyPath = join(pki, 'server.key');
  const wanted = [...new Set([...ALWAYS_HOSTS, ...hosts.filter((h) => h !== '')])];

  let ca = await readPair(caPath, caKeyPath);
  const caCert = usableCert(ca, now);
  if (ca === undefined || caCert === undefined || !caCert.ca) {
    ca = await generateCa(now);
    await writeAtomic(caKeyPath, ca.keyPem, 0o600);
    await writeAtomic(caPath, ca.certPem, 0o644);
  }
  const issuer = new X509Certificate(ca.certPem);

  let server = await readPair(certPath, keyPath);
  const serverCert = usableCert(server, now);
  const isReusable =
    server !== undefined &&
    serverCert !== undefined &&
    serverCert.checkIssued(issuer) &&
    serverCert.verify(issuer.publicKey) &&
    coversHosts(serverCert, wanted);
  if (server === undefined || !isReusable) {
    server = await generateServerCert(ca, wanted, now);
    await writeAtomic(keyPath, server.keyPem, 0o600);
    await writeAtomic(certPath, server.certPem, 0o644);
  }
  return {
    caPem: ca.certPem,
    certPem: server.certPem,
    keyPem: server.keyPem,
    caPath,
    certPath,
    keyPath,
  };
}

/** A random bearer token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Returns the token in <dataDir>/token, creating it (mode 0600) on first use. */
export function ensureToken(dataDir: string): string {
  const path = join(dataDir, 'token');
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token !== '') {
      chmodSync(path, 0o600);
      return token;
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = generateToken();
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return token;
}
