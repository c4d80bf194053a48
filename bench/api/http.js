// Minimal HTTP/1.1 JSON client over node:http with a keep-alive Agent, loopback only.
import http from 'node:http';
import { nowMs } from './stats.js';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** A keep-alive agent; maxSockets bounds the connections one phase opens. */
export function keepAliveAgent(maxSockets = 16) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

function assertLoopback(baseUrl) {
  const { hostname } = new URL(baseUrl);
  if (hostname !== '127.0.0.1') {
    throw new Error(`refusing non-loopback target ${baseUrl}`);
  }
}

/**
 * Sends one request and resolves with { status, body (Buffer), ms } where ms runs from the
 * call to the last byte of the response.
 */
export function request(
  baseUrl,
  { method = 'GET', path, body, agent, accept = 'application/json', timeoutMs = 30_000 },
) {
  assertLoopback(baseUrl);
  const url = new URL(path, baseUrl);
  const payload =
    body === undefined
      ? undefined
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = { Accept: accept };
  if (payload) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          ms: nowMs() - started,
          end: nowMs(),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like request, but throws unless the status is 2xx; returns the parsed body too. */
export async function requestJson(baseUrl, opts) {
  const res = await request(baseUrl, opts);
  if (res.status < 200 || res.status > 299) {
    throw new Error(
      `${opts.method ?? 'GET'} ${opts.path}: HTTP ${res.status}: ${res.body.toString().slice(0, 300)}`,
    );
  }
  return { ...res, json: JSON.parse(res.body.toString()) };
}

/** Runs fn(i) for i in [0, count) with at most `concurrency` in flight, in index order. */
export async function runPool(count, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
