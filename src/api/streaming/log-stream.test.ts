import { createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from '../../lib/errors.js';
import type { ApiError } from '../../lib/errors.js';
import {
  formatLogLine,
  parseLogOptions,
  rfc3339Nano,
  selectLogLines,
  serveLogStream,
} from './log-stream.js';
import type { LogSource } from './log-stream.js';

const NOW = new Date('2025-01-02T03:04:05.000Z');
const parse = (query: string) => parseLogOptions(new URLSearchParams(query), 'p', NOW);

describe('parseLogOptions', () => {
  it('reads what kubectl sends', () => {
    expect(
      parse('container=web&follow=true&previous=true&timestamps=true&tailLines=10&limitBytes=5'),
    ).toEqual({
      container: 'web',
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 10,
      limitBytes: 5,
      sinceSeconds: undefined,
      sinceTime: undefined,
      since: undefined,
    });
  });

  it.each([
    ['sinceSeconds=60', new Date('2025-01-02T03:03:05.000Z')],
    ['sinceTime=2025-01-01T00:00:00Z', new Date('2025-01-01T00:00:00Z')],
    ['sinceTime=2025-01-01T01:00:00%2B01:00', new Date('2025-01-01T00:00:00Z')],
  ])('%s -> since %s', (query, since) => {
    expect(parse(query).since).toEqual(since);
  });

  it.each([
    [
      'tailLines=-1',
      'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'limitBytes=0',
      'PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0',
    ],
    [
      'sinceSeconds=0',
      'PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
    ],
    [
      'sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z',
      'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
    [
      'tailLines=-1&limitBytes=0',
      'PodLogOptions "p" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
    ],
  ])('%s is 422: %s', (query, message) => {
    expect(() => parse(query)).toThrow(message);
    expect(() => parse(query)).toThrow(expect.objectContaining({ code: 422, reason: 'Invalid' }));
  });

  it.each(['tailLines=ten', 'sinceTime=yesterday', 'sinceTime=2025-01-01'])(
    '%s is 400',
    (query) => {
      expect(() => parse(query)).toThrow(
        expect.objectContaining({ code: 400, reason: 'BadRequest' }),
      );
    },
  );
});

describe('log line helpers', () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
  const lines = [1, 2, 3, 4].map((s) => ({ time: at(s), text: `l${s}\n` }));

  it.each([
    [{}, ['l1', 'l2', 'l3', 'l4']],
    [{ tailLines: 2 }, ['l3', 'l4']],
    [{ tailLines: 0 }, []],
    [{ tailLines: 9 }, ['l1', 'l2', 'l3', 'l4']],
    [{ since: at(2) }, ['l2', 'l3', 'l4']],
    [{ tailLines: 3, since: at(3) }, ['l3', 'l4']],
  ])('%j', (opts, texts) => {
    expect(selectLogLines(lines, opts).map((l) => l.text.trim())).toEqual(texts);
  });

  it.each([
    ['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T00:00:00.100Z', '2025-01-01T00:00:00.1Z'],
    ['2025-01-01T00:00:00.123Z', '2025-01-01T00:00:00.123Z'],
  ])('rfc3339Nano %s -> %s', (iso, text) => {
    expect(rfc3339Nano(new Date(iso))).toBe(text);
  });

  it('prefixes the timestamp only when asked', () => {
    const line = { time: at(1), text: 'x\n' };
    expect(formatLogLine(line, true)).toBe('2025-01-01T00:00:01Z x\n');
    expect(formatLogLine(line, false)).toBe('x\n');
  });
});

async function* toAsync(chunks: Array<string | Buffer>): AsyncGenerator<string | Buffer> {
  for (const chunk of chunks) {
    yield await Promise.resolve(chunk);
  }
}

describe('serveLogStream over HTTP', () => {
  let source: LogSource;
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const serve = async () =>
        serveLogStream(res, source, parseLogOptions(url.searchParams, 'p', NOW));
      serve().catch((e) => {
        const err = e as ApiError;
        res.writeHead(err.code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(err.toStatus()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const get = (query = '') =>
    new Promise<IncomingMessage>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: `/log?${query}` }, resolve)
        .on('error', reject)
        .end();
    });
  const body = (res: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });

  it('writes the source as text/plain and stops at limitBytes', async () => {
    source = {
      read: () => toAsync(['hello ', Buffer.from('world\n'), 'never read']),
    };
    const res = await get('limitBytes=8');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(await body(res)).toBe('hello wo');
  });

  it('sends the headers before the first line arrives', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    source = {
      read: async function* () {
        await gate;
        yield 'late\n';
      },
    };
    const res = await get('follow=true');
    expect(res.statusCode).toBe(200);
    release();
    expect(await body(res)).toBe('late\n');
  });

  it('answers a source that rejects before streaming with its Status', async () => {
    source = {
      read: () =>
        Promise.reject(badRequest('previous terminated container "c" in pod "p" not found')),
    };
    const res = await get('previous=true');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(await body(res))).toMatchObject({
      reason: 'BadRequest',
      message: 'previous terminated container "c" in pod "p" not found',
    });
  });

  it('aborts a waiting source when the client disconnects', async () => {
    let aborted: (() => void) | undefined;
    const wasAborted = new Promise<void>((resolve) => (aborted = resolve));
    source = {
      read: async function* (_opts, signal) {
        yield 'first\n';
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted?.();
      },
    };
    const res = await get('follow=true');
    await new Promise((resolve) => res.once('data', resolve));
    res.destroy();
    await expect(wasAborted).resolves.toBeUndefined();
  });

  it('rejects with the validation Status before streaming', async () => {
    const res = await get('tailLines=-3');
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(await body(res))).toMatchObject({ reason: 'Invalid' });
  });
});
