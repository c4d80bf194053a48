// Reading a kubeconfig into an HttpClientConfig: the context's cluster (server, CA, TLS options)
// and user (token or client certificate). Relative paths resolve against the kubeconfig's folder.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import type { HttpClientConfig } from './http-transport.js';

type Fields = Record<string, unknown>;

/** The connection settings of `context` (default: current-context) in the kubeconfig at path. */
export async function readKubeconfig(path: string, context?: string): Promise<HttpClientConfig> {
  const doc = await readDoc(path);
  const where = `kubeconfig ${path}`;
  const contextName = context ?? str(doc['current-context']);
  if (!contextName) {
    throw new Error(`${where} has no current-context; name a context`);
  }
  const find = (list: string, field: string, name: string): Fields => {
    const found = (Array.isArray(doc[list]) ? (doc[list] as unknown[]) : []).find(
      (e) => isFields(e) && e.name === name,
    );
    const value = isFields(found) ? found[field] : undefined;
    if (!isFields(value)) {
      throw new Error(`${where} has no ${field} "${name}"`);
    }
    return value;
  };
  const ctx = find('contexts', 'context', contextName);
  const clusterName = str(ctx.cluster) ?? '';
  const userName = str(ctx.user);
  const base = dirname(path);
  return {
    ...(await clusterSettings(find('clusters', 'cluster', clusterName), base, where)),
    ...(userName ? await userSettings(find('users', 'user', userName), base, where) : {}),
  };
}

async function readDoc(path: string): Promise<Fields> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`reading kubeconfig ${path}`, { cause: e });
  }
  let doc: unknown;
  try {
    // kubectl reads kubeconfig as YAML 1.1 (`insecure-skip-tls-verify: yes` is true there).
    doc = YAML.parse(text, { version: '1.1' });
  } catch (e) {
    throw new Error(`parsing kubeconfig ${path}`, { cause: e });
  }
  if (!isFields(doc)) {
    throw new Error(`kubeconfig ${path} is not a mapping`);
  }
  return doc;
}

async function clusterSettings(
  cluster: Fields,
  base: string,
  where: string,
): Promise<HttpClientConfig> {
  const server = str(cluster.server);
  if (!server) {
    throw new Error(`${where}: the context's cluster has no server`);
  }
  const caPem = await pem(cluster, 'certificate-authority', base);
  const tlsServerName = str(cluster['tls-server-name']);
  return {
    server,
    ...(caPem ? { caPem } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecureSkipTLSVerify: true } : {}),
  };
}

async function userSettings(
  user: Fields,
  base: string,
  where: string,
): Promise<Partial<HttpClientConfig>> {
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    throw new Error(
      `${where}: the context's user has exec or auth-provider credentials, which kubeproc's HTTP client does not support`,
    );
  }
  const certPem = await pem(user, 'client-certificate', base);
  const keyPem = await pem(user, 'client-key', base);
  const token = str(user.token) ?? (await fileText(user.tokenFile, base))?.trim();
  return {
    ...(certPem ? { certPem } : {}),
    ...(keyPem ? { keyPem } : {}),
    ...(token ? { token } : {}),
  };
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A PEM given inline (`<key>-data`, base64) or as a file (`<key>`). */
async function pem(fields: Fields, key: string, base: string): Promise<string | undefined> {
  const data = str(fields[`${key}-data`]);
  if (data) {
    return Buffer.from(data, 'base64').toString('utf8');
  }
  return fileText(fields[key], base);
}

async function fileText(path: unknown, base: string): Promise<string | undefined> {
  const p = str(path);
  if (!p) {
    return undefined;
  }
  try {
    return await readFile(resolve(base, p), 'utf8');
  } catch (e) {
    throw new Error(`reading ${p} named in the kubeconfig`, { cause: e });
  }
}
