// Runs the Client contract against HttpClient talking to a real kubeproc HTTP server, plus what
// only HTTP has: informers over the wire, kubeconfig, TLS and tokens, odd and oversized answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { ApiError, isGone } from '../lib/errors.js';
import { ensureServingCerts } from '../lib/tls.js';
import type { KubeprocConfig, RunningKubeproc } from '../main.js';
import { startKubeproc } from '../main.js';
import { clientContract } from './client.contract.js';
import type { WatchCallbacks } from './client.js';
import { HttpClient, HttpClientError } from './http.js';
import { readKubeconfig } from './http-kubeconfig.js';
import { SharedInformerFactory } from './informer.js';
import { CONFIGMAPS, NAMESPACES } from './resources.js';

const WAIT = { timeout: 5000, interval: 5 };

/** What p rejects with (undefined when it resolves). */
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/** A kubeproc on a free loopback port with its own temp data dir; stop() removes both. */
async function startTestKubeproc(
  extra: (dataDir: string) => Promise<Partial<KubeprocConfig>> = () => Promise.resolve({}),
): Promise<RunningKubeproc & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubeproc-http-client-'));
  try {
    const kp = await startKubeproc({
      dataDir,
      apiPort: 0,
      address: '127.0.0.1',
      serviceCidr: '127.96.0.0/16',
      nodePortRange: [30000, 32767],
      log: pino({ level: 'silent' }),
      ...(await extra(dataDir)),
    });
    let stopped: Promise<void> | undefined;
    // Idempotent: a test may stop the server itself before afterAll does.
    const stop = (): Promise<void> =>
      (stopped ??= kp.stop().finally(() => rmSync(dataDir, { recursive: true, force: true })));
    return { ...kp, dataDir, stop };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

clientContract('http', async () => {
  const kp = await startTestKubeproc();
  const client = new HttpClient({ server: kp.url });
  return {
    client,
    stop: async () => {
      client.close();
      await kp.stop();
    },
  };
});

/** Records a watch's events (`TYPE name`) and its closes. */
function recorder(): WatchCallbacks & { seen: string[]; closed: { error: unknown }[] } {
  const seen: string[] = [];
  const closed: { error: unknown }[] = [];
  return {
    seen,
    closed,
    onEvent: (e) => seen.push(`${e.type} ${e.object.metadata.name ?? ''}`),
    onClose: (error) => closed.push({ error }),
  };
}

describe('HttpClient against kubeproc', () => {
  let kp: Awaited<ReturnType<typeof startTestKubeproc>>;
  let client: HttpClient;
  beforeAll(async () => {
    kp = await startTestKubeproc();
    client = new HttpClient({ server: kp.url });
  });
  afterAll(async () => {
    client.close();
    await kp.stop();
  });

  it('feeds an informer: list, then adds, updates and deletes over the watch', async () => {
    await client.create(NAMESPACES, { metadata: { name: 'informed' } });
    await client.create(CONFIGMAPS, { metadata: { name: 'before', namespace: 'informed' } });
    const factory = new SharedInformerFactory(client);
    const informer = factory.informerFor(CONFIGMAPS, { namespace: 'informed' });
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add:${o.metadata.name}`),
      onUpdate: (_a, b) => seen.push(`update:${b.metadata.name}`),
      onDelete: (o) => seen.push(`delete:${o.metadata.name}`),
    });
    const stop = new AbortController();
    const running = factory.start(stop.signal);
    await factory.waitForSync();
    await client.create(CONFIGMAPS, { metadata: { name: 'after', namespace: 'informed' } });
    await client.patch(CONFIGMAPS, 'informed', 'after', 'merge', { data: { k: 'v' } });
    await client.delete(CONFIGMAPS, 'informed', 'before');
    await vi.waitFor(() => expect(seen).toContain('delete:before'), WAIT);
    expect(seen).toEqual(['add:before', 'add:after', 'update:after', 'delete:before']);
    expect(informer.get('informed', 'after')?.data).toEqual({ k: 'v' });
    stop.abort();
    await running;
  });

  it('closes a watch whose resourceVersion was compacted away with its 410 ApiError', async () => {
    await client.create(CONFIGMAPS, { metadata: { name: 'old', namespace: 'default' } });
    kp.store.compact(kp.store.revision);
    const r = recorder();
    client.watch(CONFIGMAPS, { namespace: 'default', resourceVersion: '1' }, r);
    await vi.waitFor(() => expect(r.closed).toHaveLength(1), WAIT);
    expect(r.seen).toEqual(['ERROR ']);
    const error = r.closed[0]?.error;
    expect(error).toBeInstanceOf(ApiError);
    expect(isGone(error)).toBe(true);
    expect((error as ApiError).reason).toBe('Expired');
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const big = { metadata: { name: 'big', namespace: 'default' }, data: { x: 'y'.repeat(8192) } };
    await client.create(CONFIGMAPS, big);
    const small = new HttpClient({ server: kp.url, maxResponseBytes: 6000 });
    try {
      // Discovery and small answers still pass under the limit.
      expect(await failure(small.get(CONFIGMAPS, 'default', 'missing'))).toMatchObject({
        code: 404,
      });
      const e: unknown = await failure(small.get(CONFIGMAPS, 'default', 'big'));
      expect(e).toBeInstanceOf(HttpClientError);
      expect((e as HttpClientError).code).toBe('ResponseTooLarge');
    } finally {
      small.close();
    }
  });

  it('never turns an empty name into a request on the collection', async () => {
    await client.create(CONFIGMAPS, { metadata: { name: 'keep', namespace: 'default' } });
    const e: unknown = await failure(client.delete(CONFIGMAPS, 'default', ''));
    expect((e as HttpClientError).code).toBe('InvalidRequest');
    expect((await client.get(CONFIGMAPS, 'default', 'keep')).metadata.name).toBe('keep');
  });
});

describe('HttpClient over TLS with a token, from a kubeconfig', () => {
  const TOKEN = 'contract-token';
  let kp: Awaited<ReturnType<typeof startTestKubeproc>>;
  let caPem: string;
  let kubeconfig: string;
  const clients: HttpClient[] = [];
  const track = (c: HttpClient): HttpClient => {
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    kp = await startTestKubeproc(async (dataDir) => {
      const certs = await ensureServingCerts(dataDir, ['127.0.0.1']);
      caPem = certs.caPem;
      return { tls: { certPem: certs.certPem, keyPem: certs.keyPem }, token: TOKEN };
    });
    kubeconfig = join(kp.dataDir, 'kubeconfig');
    writeFileSync(join(kp.dataDir, 'ca.crt'), caPem);
    writeFileSync(join(kp.dataDir, 'wrong-token'), 'not-the-token\n');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'admin',
      clusters: [
        {
          name: 'inline',
          cluster: {
            server: kp.url,
            'certificate-authority-data': Buffer.from(caPem).toString('base64'),
          },
        },
        { name: 'file', cluster: { server: kp.url, 'certificate-authority': 'ca.crt' } },
      ],
      users: [
        { name: 'admin', user: { token: TOKEN } },
        { name: 'wrong', user: { tokenFile: 'wrong-token' } },
      ],
      contexts: [
        { name: 'admin', context: { cluster: 'inline', user: 'admin' } },
        { name: 'wrong', context: { cluster: 'file', user: 'wrong' } },
      ],
    };
    writeFileSync(kubeconfig, YAML.stringify(config));
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await kp.stop();
  });

  it('reads server, CA and token from the current context', async () => {
    const client = track(await HttpClient.fromKubeconfig(kubeconfig));
    const ns = await client.get(NAMESPACES, '', 'default');
    expect(ns.metadata.name).toBe('default');
  });

  it('answers a wrong token with a 401 ApiError (CA read from a relative file)', async () => {
    const client = track(await HttpClient.fromKubeconfig(kubeconfig, 'wrong'));
    const e: unknown = await failure(client.get(NAMESPACES, '', 'default'));
    expect(e).toBeInstanceOf(ApiError);
    expect({ code: (e as ApiError).code, reason: (e as ApiError).reason }).toEqual({
      code: 401,
      reason: 'Unauthorized',
    });
  });

  it('reads client certificates, tls-server-name and YAML 1.1 booleans', async () => {
    const path = join(kp.dataDir, 'certs.kubeconfig');
    writeFileSync(join(kp.dataDir, 'client.key'), 'KEY');
    writeFileSync(
      path,
      [
        'current-context: c',
        'contexts: [{name: c, context: {cluster: k, user: u}}]',
        `clusters: [{name: k, cluster: {server: '${kp.url}', tls-server-name: kube, insecure-skip-tls-verify: yes}}]`,
        `users: [{name: u, user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key: client.key}}]`,
      ].join('\n'),
    );
    expect(await readKubeconfig(path)).toEqual({
      server: kp.url,
      tlsServerName: 'kube',
      insecureSkipTLSVerify: true,
      certPem: 'CERT',
      keyPem: 'KEY',
    });
  });

  it('fails on an unknown context, and on a certificate it cannot verify', async () => {
    await expect(HttpClient.fromKubeconfig(kubeconfig, 'nope')).rejects.toThrow(
      'has no context "nope"',
    );
    const unverified = track(new HttpClient({ server: kp.url, token: TOKEN }));
    const e: unknown = await failure(unverified.get(NAMESPACES, '', 'default'));
    expect((e as HttpClientError).code).toBe('RequestFailed');
    const insecure = track(
      new HttpClient({ server: kp.url, token: TOKEN, insecureSkipTLSVerify: true }),
    );
    expect((await insecure.get(NAMESPACES, '', 'default')).metadata.name).toBe('default');
  });

  it('closes watches (onClose, no error) when the server shuts down', async () => {
    const client = track(new HttpClient({ server: kp.url, token: TOKEN, caPem }));
    const r = recorder();
    client.watch(NAMESPACES, {}, r);
    await vi.waitFor(() => expect(r.seen).toContain('ADDED default'), WAIT);
    await kp.stop();
    await vi.waitFor(() => expect(r.closed).toEqual([{ error: undefined }]), WAIT);
  });
});

/** A raw HTTP server for answers kubeproc never gives (a test double at the network boundary). */
async function startFakeServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; paths: string[]; stop(): Promise<void> }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/prefix/api/v1') {
      const resources = [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: [] }];
      res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources }));
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/prefix`,
    paths,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type FakeServer = Awaited<ReturnType<typeof startFakeServer>>;

/** Runs fn with an HttpClient on a fake server answering with handle; stops both after. */
async function withFake(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  config: { maxResponseBytes?: number },
  fn: (client: HttpClient, fake: FakeServer) => Promise<void>,
): Promise<void> {
  const fake = await startFakeServer(handle);
  const client = new HttpClient({ server: fake.url, ...config });
  try {
    await fn(client, fake);
  } finally {
    client.close();
    await fake.stop();
  }
}

/** Writes pieces as separate chunks (a pause between each), then ends the answer. */
function writeSlowly(res: ServerResponse, pieces: (string | Buffer)[], last = ''): void {
  void (async () => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    for (const piece of pieces) {
      if (res.destroyed) {
        return;
      }
      res.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    res.end(last);
  })();
}

describe('HttpClient against odd answers', () => {
  const ev = (type: string, name: string): string =>
    JSON.stringify({ type, object: { metadata: { name } } });

  it('splits watch lines across chunks, several per chunk, multi-byte characters cut in two', async () => {
    const text = `${ev('ADDED', 'café')}\n\n${ev('MODIFIED', 'b')}\n${ev('DELETED', 'c')}`;
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    const pieces = [
      bytes.subarray(0, cut),
      bytes.subarray(cut, cut + 40),
      bytes.subarray(cut + 40),
    ];
    await withFake(
      (_req, res) => writeSlowly(res, pieces),
      {},
      async (client, fake) => {
        const r = recorder();
        client.watch(CONFIGMAPS, { namespace: 'ns', resourceVersion: '7' }, r);
        await vi.waitFor(() => expect(r.closed).toHaveLength(1), WAIT);
        expect(r.seen).toEqual(['ADDED café', 'MODIFIED b', 'DELETED c']);
        expect(r.closed[0]?.error).toBeUndefined();
        expect(fake.paths.at(-1)).toBe(
          '/prefix/api/v1/namespaces/ns/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=7',
        );
      },
    );
  });

  it.each([
    ['a malformed line', 'not json\n', 'InvalidResponse'],
    ['an event over the size limit', `${'x'.repeat(3000)}\n`, 'ResponseTooLarge'],
  ])('closes a watch on %s', async (_what, body, code) => {
    await withFake(
      (_req, res) => res.end(body),
      { maxResponseBytes: 2048 },
      async (client) => {
        const r = recorder();
        client.watch(CONFIGMAPS, {}, r);
        await vi.waitFor(() => expect(r.closed).toHaveLength(1), WAIT);
        expect((r.closed[0]?.error as HttpClientError).code).toBe(code);
      },
    );
  });

  it('aborts the request on stop(), without calling onClose', async () => {
    let serverSawClose = false;
    const hold = (req: IncomingMessage, res: ServerResponse): void => {
      res.writeHead(200);
      res.flushHeaders();
      req.socket.on('close', () => (serverSawClose = true));
    };
    await withFake(hold, {}, async (client, fake) => {
      const r = recorder();
      const handle = client.watch(CONFIGMAPS, { namespace: 'ns' }, r);
      await vi.waitFor(() => expect(fake.paths.some((p) => p.includes('watch'))).toBe(true), WAIT);
      handle.stop();
      await vi.waitFor(() => expect(serverSawClose).toBe(true), WAIT);
      expect(r.closed).toEqual([]);
    });
  });

  const tooMany = JSON.stringify({ kind: 'Status', reason: 'TooManyRequests', message: 'slow' });
  it.each([
    [502, 'text/html', '<html>Bad Gateway</html>', 'InternalError: Bad Gateway'],
    [500, 'application/json', '{"error":"boom"}', 'InternalError: boom'],
    [429, 'application/json', tooMany, 'TooManyRequests: slow'],
  ])('turns a %i %s answer into an ApiError', async (code, type, body, expected) => {
    const answer = (_req: IncomingMessage, res: ServerResponse): void => {
      res.writeHead(code, { 'Content-Type': type });
      res.end(body);
    };
    await withFake(answer, {}, async (client) => {
      const e = await failure(client.get(CONFIGMAPS, 'ns', 'x'));
      expect(e).toBeInstanceOf(ApiError);
      const [reason, text] = expected.split(': ');
      expect(e).toMatchObject({ code, reason });
      expect((e as ApiError).message).toContain(text);
    });
  });

  it('refuses a chunked answer that grows past the limit', async () => {
    const pieces = Array.from({ length: 10 }, () => ' '.repeat(1024));
    const answer = (_req: IncomingMessage, res: ServerResponse): void =>
      writeSlowly(res, pieces, '{}');
    await withFake(answer, { maxResponseBytes: 4096 }, async (client) => {
      const e = await failure(client.list(CONFIGMAPS));
      expect((e as HttpClientError).code).toBe('ResponseTooLarge');
    });
  });
});
