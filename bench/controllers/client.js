// HTTP calls of the controller benchmark (loopback only): JSON and merge-patch bodies, parsed
// answers, and errors that carry the status code.
import http from 'node:http';
import { nowMs } from '../api/stats.js';

/** Sends one request; resolves with { status, json, ms } and throws on a non-2xx answer. */
export function call(url, { method = 'GET', path, body, contentType, agent, timeoutMs = 30_000 }) {
  if (new URL(url).hostname !== '127.0.0.1') {
    throw new Error(`refusing non-loopback target ${url}`);
  }
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = { Accept: 'application/json' };
  if (payload) {
    headers['Content-Type'] = contentType ?? 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          const err = new Error(`${method} ${path}: HTTP ${status}: ${text.slice(0, 300)}`);
          err.status = status;
          reject(err);
          return;
        }
        resolve({ status, json: text ? JSON.parse(text) : undefined, ms: nowMs() - started });
      });
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** PATCH with application/merge-patch+json. */
export function mergePatch(url, path, body, agent) {
  return call(url, {
    method: 'PATCH',
    path,
    body,
    agent,
    contentType: 'application/merge-patch+json',
  });
}
