// The httpGet probe (pkg/probe/http/http.go): one GET with Go's http.Client semantics over node:http
// and node:https: the timeout covers the whole exchange, redirects are followed only to the same
// host and at most 10 times, at most 10 KiB of the body is read, 200-399 succeeds.
import type { OutgoingHttpHeaders } from 'node:http';
import { exchange, type Reply } from './http-exchange.js';
import { locationHref, type HttpLocation, type HttpProbeRequest } from './http-request.js';
import { goQuote } from './port.js';
import type { ProbeOutcome } from './types.js';

const MAX_REDIRECTS = 10;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

function headersFor(
  request: HttpProbeRequest,
  hostHeader: string,
  referer: string | undefined,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, values] of request.headers) {
    // Go sends no User-Agent at all when the probe sets it empty.
    if (name === 'User-Agent' && values[0] === '') {
      continue;
    }
    out[name] = values.length === 1 ? values[0] : values;
  }
  if (hostHeader !== '') {
    out.Host = hostHeader;
  }
  if (referer !== undefined && out.Referer === undefined) {
    out.Referer = referer;
  }
  return out;
}

function bareHostname(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

type Response = Extract<Reply, { kind: 'response' }>;

type Redirect = { location: HttpLocation } | { error: string } | undefined;

/** The next location for a redirect the client follows, or undefined for a final response. */
function redirectTarget(reply: Response, from: HttpLocation): Redirect {
  if (!REDIRECT_CODES.has(reply.status) || reply.location === undefined || reply.location === '') {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(reply.location, locationHref(from));
  } catch {
    return { error: `failed to parse Location header ${goQuote(reply.location)}` };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    return { error: `unsupported protocol scheme ${goQuote(scheme)}` };
  }
  const port = url.port !== '' ? Number(url.port) : scheme === 'https' ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { location: { scheme, host, port, path: `${url.pathname}${url.search}` } };
}

function finalOutcome(status: number, body: string): ProbeOutcome {
  if (status >= 200 && status < 300) {
    return { result: 'success', message: body };
  }
  if (status >= 300 && status < 400) {
    return {
      result: 'success',
      isWarning: true,
      message: `Probe terminated redirects, Response body: ${body}`,
    };
  }
  return { result: 'failure', message: `HTTP probe failed with statuscode: ${status}` };
}

function isRelative(location: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) && !location.startsWith('//');
}

type Step = { outcome: ProbeOutcome } | { next: HttpLocation; raw: string };

/** What a response means: the probe's outcome, or a redirect to follow. */
function judge(reply: Response, from: HttpLocation, origin: string, requests: number): Step {
  const next = redirectTarget(reply, from);
  if (next === undefined) {
    return { outcome: finalOutcome(reply.status, reply.body) };
  }
  const raw = reply.location ?? '';
  if ('error' in next) {
    return { outcome: { result: 'failure', message: `Get ${goQuote(raw)}: ${next.error}` } };
  }
  // Upstream ends the chain at a redirect to another host and judges that response itself.
  if (bareHostname(next.location.host) !== origin) {
    return { outcome: finalOutcome(reply.status, reply.body) };
  }
  if (requests >= MAX_REDIRECTS) {
    const message = `Get ${goQuote(raw)}: stopped after ${MAX_REDIRECTS} redirects`;
    return { outcome: { result: 'failure', message } };
  }
  return { next: next.location, raw };
}

/** Runs an httpGet probe; `signal` aborts it early (the outcome is then an error). */
export async function probeHttp(
  request: HttpProbeRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const stop = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  const ctl = { stop, isTimeout: () => deadline.signal.aborted };
  const origin = bareHostname(request.location.host);
  let loc = request.location;
  let hostHeader = request.host;
  let referer: string | undefined;
  try {
    for (let requests = 1; ; requests++) {
      const href = locationHref(loc);
      const reply = await exchange(loc, headersFor(request, hostHeader, referer), ctl);
      if (reply.kind === 'error') {
        return { result: 'failure', message: `Get ${goQuote(href)}: ${reply.message}` };
      }
      if (reply.kind === 'body-error') {
        return { result: 'failure', isError: true, message: reply.message };
      }
      const step = judge(reply, loc, origin, requests);
      if ('outcome' in step) {
        return step.outcome;
      }
      // Go keeps a custom Host header only through relative redirects.
      hostHeader = request.host !== '' && isRelative(step.raw) ? request.host : '';
      referer = loc.scheme === 'https' && step.next.scheme === 'http' ? undefined : href;
      loc = step.next;
    }
  } finally {
    clearTimeout(timer);
  }
}
