import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.js';
import { parseExecRequest, parseStreamingPath, queryBool, validateExecRequest } from './request.js';

describe('parseStreamingPath', () => {
  it.each([
    ['/api/v1/namespaces/default/pods/p/exec?command=ls', 'exec', 'default', 'p'],
    ['/api/v1/namespaces/ns1/pods/web-1/attach', 'attach', 'ns1', 'web-1'],
    ['/api/v1/namespaces/ns1/pods/web-1/portforward/', 'portforward', 'ns1', 'web-1'],
    ['/api/v1/namespaces/a%2Db/pods/p/exec', 'exec', 'a-b', 'p'],
  ])('%s', (url, verb, namespace, pod) => {
    expect(parseStreamingPath(url)).toMatchObject({ verb, namespace, pod });
  });

  it.each([
    '/api/v1/namespaces/default/pods/p/log',
    '/api/v1/namespaces/default/pods/p',
    '/api/v1/pods/p/exec',
    '/apis/apps/v1/namespaces/default/deployments/d/exec',
    '/api/v1/namespaces/default/services/s/exec',
    '/api/v1/namespaces/default/pods/p/exec/extra',
    '/',
  ])('%s is not a streaming path', (url) => {
    expect(parseStreamingPath(url)).toBeUndefined();
  });
});

describe('queryBool', () => {
  it.each([
    ['', false],
    ['stdin=true', true],
    ['stdin=1', true],
    ['stdin=', true],
    ['stdin', true],
    ['stdin=yes', true],
    ['stdin=false', false],
    ['stdin=FALSE', false],
    ['stdin=0', false],
  ])('%s -> %s', (query, value) => {
    expect(queryBool(new URLSearchParams(query), 'stdin')).toBe(value);
  });
});

describe('parseExecRequest', () => {
  const path = (verb: 'exec' | 'attach', query: string) =>
    parseStreamingPath(`/api/v1/namespaces/ns/pods/p/${verb}?${query}`) ?? expect.fail('no path');

  it('reads repeated commands and the stream flags as kubectl sends them', () => {
    const query = 'command=sh&command=-c&command=echo+a+b&container=web&stderr=true&stdout=true';
    expect(parseExecRequest(path('exec', query))).toEqual({
      namespace: 'ns',
      pod: 'p',
      container: 'web',
      command: ['sh', '-c', 'echo a b'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('drops stderr with a tty and ignores commands on attach', () => {
    const r = parseExecRequest(path('attach', 'command=x&stdin=1&stdout=1&stderr=1&tty=1'));
    expect(r).toMatchObject({ command: [], stdin: true, stdout: true, stderr: false, tty: true });
  });

  it('refuses a request without any stream with the kubelet message', () => {
    const r = parseExecRequest(path('exec', 'command=ls&tty=true&stderr=true'));
    expect(() => validateExecRequest(r)).toThrow(
      new ApiError(400, 'BadRequest', 'you must specify at least 1 of stdin, stdout, stderr'),
    );
    expect(() => validateExecRequest({ ...r, stdin: true })).not.toThrow();
  });
});
