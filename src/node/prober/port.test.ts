// Pure helpers: port resolution, Go spellings of addresses and durations, header keys, request
// URLs, socket error texts and timing defaults.
import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, locationHref, newHttpProbeRequest } from './http-request.js';
import { connError, dialError } from './net-errors.js';
import { goDuration, joinHostPort, resolveContainerPort } from './port.js';
import { probeTiming } from './types.js';

describe('resolveContainerPort', () => {
  const target = { resolvePort: (name: string) => ({ http: 8080, unset: 0 })[name] };
  it.each([
    [80, { port: 80 }],
    ['http', { port: 8080 }],
    ['9090', { port: 9090 }],
    ['+90', { port: 90 }],
    [undefined, { error: 'invalid port number: 0' }],
    [65536, { error: 'invalid port number: 65536' }],
    ['-1', { error: 'invalid port number: -1' }],
    ['unset', { error: 'invalid port number: 0' }],
    ['grpc', { error: 'strconv.Atoi: parsing "grpc": invalid syntax' }],
    ['', { error: 'strconv.Atoi: parsing "": invalid syntax' }],
    [
      '99999999999999999999',
      { error: 'strconv.Atoi: parsing "99999999999999999999": value out of range' },
    ],
  ])('%j resolves to %j', (port, want) => {
    expect(resolveContainerPort(port, target)).toEqual(want);
  });
});

describe('Go spellings', () => {
  it.each([
    ['127.0.0.1', 80, '127.0.0.1:80'],
    ['::1', 80, '[::1]:80'],
    ['localhost', 8080, 'localhost:8080'],
  ])('joinHostPort(%s, %i) is %s', (host, port, want) => {
    expect(joinHostPort(host, port)).toBe(want);
  });

  it.each([
    [1, '1s'],
    [59, '59s'],
    [60, '1m0s'],
    [90, '1m30s'],
    [3600, '1h0m0s'],
  ])('goDuration(%i) is %s', (seconds, want) => {
    expect(goDuration(seconds)).toBe(want);
  });

  it.each([
    ['x-custom-header', 'X-Custom-Header'],
    ['USER-AGENT', 'User-Agent'],
    ['accept', 'Accept'],
    ['bad header', 'bad header'],
  ])('canonicalHeaderKey(%s) is %s', (name, want) => {
    expect(canonicalHeaderKey(name)).toBe(want);
  });

  it.each([
    [
      { code: 'ECONNREFUSED', syscall: 'connect' },
      'dial tcp 10.0.0.1:80: connect: connection refused',
    ],
    [
      { code: 'EHOSTUNREACH', syscall: 'connect' },
      'dial tcp 10.0.0.1:80: connect: no route to host',
    ],
    [
      { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'db' },
      'dial tcp: lookup db: no such host',
    ],
    [new Error('odd'), 'dial tcp 10.0.0.1:80: odd'],
  ])('dialError(%j)', (err, want) => {
    expect(dialError(err, '10.0.0.1:80')).toBe(want);
  });

  it.each([
    [
      { code: 'ECONNRESET', syscall: 'read' },
      'read tcp 10.0.0.2:5000->10.0.0.1:80: read: connection reset by peer',
    ],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'EOF'],
  ])('connError(%j)', (err, want) => {
    expect(connError(err, '10.0.0.2:5000', '10.0.0.1:80')).toBe(want);
  });
});

describe('httpGet request URL', () => {
  it.each([
    [{ path: '/healthz', port: 80 }, 'http://10.1.2.3:80/healthz'],
    [{ path: 'healthz?x=1', port: 80, scheme: 'HTTPS' }, 'https://10.1.2.3:80/healthz?x=1'],
    [{ path: '', port: 80 }, 'http://10.1.2.3:80'],
    [{ path: '/a b/é#frag', port: 80 }, 'http://10.1.2.3:80/a%20b/%C3%A9'],
    [{ path: '/', port: 80, host: '::1' }, 'http://[::1]:80/'],
  ])('%j is %s', (httpGet, want) => {
    const request = newHttpProbeRequest(httpGet, { ip: '10.1.2.3' });
    expect('location' in request && locationHref(request.location)).toBe(want);
  });
});

describe('probeTiming', () => {
  it.each([
    [
      {},
      {
        initialDelaySeconds: 0,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
    ],
    [
      {
        initialDelaySeconds: 5,
        timeoutSeconds: 2,
        periodSeconds: 3,
        successThreshold: 2,
        failureThreshold: 1,
      },
      {
        initialDelaySeconds: 5,
        timeoutSeconds: 2,
        periodSeconds: 3,
        successThreshold: 2,
        failureThreshold: 1,
      },
    ],
    [
      {
        initialDelaySeconds: -1,
        timeoutSeconds: 0,
        periodSeconds: -5,
        successThreshold: 0,
        failureThreshold: 0,
      },
      {
        initialDelaySeconds: 0,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
    ],
  ])('reads %j defensively', (probe, want) => {
    expect(probeTiming(probe)).toEqual(want);
  });
});
