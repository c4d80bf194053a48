// The WebSocket channel protocols at frame level (what kubectl does not exercise): v4 and
// base64 framing, tty resizes, the v5 close signal, and refusals before the upgrade.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ExecExit, ExecRequest, ExecSession, TerminalSize } from './types.js';
import { handleStreamingUpgrade } from './upgrade.js';

/** Runs exec as real child processes (the OS boundary); records resizes. */
class FakeRuntime {
  readonly children = new Set<ChildProcess>();
  readonly resizes: TerminalSize[] = [];
  readonly requests: ExecRequest[] = [];

  exec = (r: ExecRequest): Promise<ExecSession> => {
    this.requests.push(r);
    if (r.command[0] === 'fail-to-start') {
      return Promise.reject(new Error('no such container process'));
    }
    const child = spawn(r.command[0] ?? 'false', r.command.slice(1), { stdio: 'pipe' });
    this.children.add(child);
    const exit = new Promise<ExecExit>((resolve) =>
      child.once('exit', (code, signal) =>
        resolve(code === null ? { error: `signal: ${signal}` } : { exitCode: code }),
      ),
    );
    return Promise.resolve({
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exit,
      resize: (size) => this.resizes.push(size),
      abort: () => child.kill('SIGKILL'),
    });
  };
}

interface Session {
  frames: Array<Buffer | string>;
  ws: WebSocket;
  closed: Promise<number>;
}

describe('WebSocket exec channel protocols', () => {
  const runtime = new FakeRuntime();
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) =>
      handleStreamingUpgrade(req, socket, head, {
        log: pino({ level: 'silent' }),
        route: () =>
          Promise.resolve({
            exec: runtime.exec,
            container: 'c',
            portForward: { dial: () => Promise.reject(new Error('not dialled here')) },
          }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/ns/pods/p`;
  });
  afterAll(async () => {
    runtime.children.forEach((c) => c.kill('SIGKILL'));
    await new Promise((resolve) => server.close(resolve));
  });

  const query = (command: string[], flags: string) =>
    `${command.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&${flags}`;

  function open(path: string, protocols: string[]): Promise<Session> {
    const ws = new WebSocket(`${base}/${path}`, protocols);
    const frames: Array<Buffer | string> = [];
    ws.on('message', (data: Buffer, isBinary) => frames.push(isBinary ? data : data.toString()));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, frames, closed }));
      ws.once('error', reject);
    });
  }

  /** Channel number and payload of binary frames. */
  const decoded = (frames: Array<Buffer | string>) =>
    frames.map((f) => [(f as Buffer)[0], (f as Buffer).subarray(1).toString()]);

  it('v4.channel.k8s.io: output frames, then a JSON status, then close 1000', async () => {
    const s = await open(
      `exec?${query(['sh', '-c', 'printf out; printf err >&2; exit 2'], 'stdout=1&stderr=1')}`,
      ['v4.channel.k8s.io'],
    );
    expect(s.ws.protocol).toBe('v4.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    const frames = decoded(s.frames);
    expect(frames[0]).toEqual([1, '']);
    expect(
      frames
        .filter(([c]) => c === 1)
        .map(([, t]) => t)
        .join(''),
    ).toBe('out');
    expect(
      frames
        .filter(([c]) => c === 2)
        .map(([, t]) => t)
        .join(''),
    ).toBe('err');
    expect(frames.at(-1)).toEqual([
      3,
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}',
    ]);
    expect(runtime.requests.at(-1)).toMatchObject({ container: 'c', stdin: false, tty: false });
  });

  it('base64.channel.k8s.io: text frames, the failure message as text', async () => {
    const s = await open(`exec?${query(['sh', '-c', 'printf hi; exit 1'], 'stdout=1')}`, [
      'base64.channel.k8s.io',
    ]);
    await s.closed;
    const text = s.frames as string[];
    expect(text.every((f) => typeof f === 'string')).toBe(true);
    const channel = (c: string) =>
      text
        .filter((f) => f.startsWith(c))
        .map((f) => Buffer.from(f.slice(1), 'base64').toString())
        .join('');
    expect(channel('1')).toBe('hi');
    expect(channel('3')).toBe('command terminated with non-zero exit code: exit status 1');
  });

  it('channel.k8s.io success sends nothing on the error channel', async () => {
    const s = await open(`exec?${query(['true'], 'stdout=1')}`, ['channel.k8s.io']);
    await s.closed;
    expect(decoded(s.frames)).toEqual([[1, '']]);
  });

  it('v5: stdin frames reach the process, [255, 0] ends its stdin, resizes are decoded', async () => {
    const s = await open(`exec?${query(['cat'], 'stdin=1&stdout=1&tty=1&stderr=1')}`, [
      'v5.channel.k8s.io',
    ]);
    s.ws.send(Buffer.concat([Buffer.of(4), Buffer.from('{"Width":100,"Height":30}')]));
    s.ws.send(Buffer.concat([Buffer.of(0), Buffer.from('abc')]));
    s.ws.send(Buffer.of(255, 0));
    expect(await s.closed).toBe(1000);
    const frames = decoded(s.frames);
    expect(
      frames
        .filter(([c]) => c === 1)
        .map(([, t]) => t)
        .join(''),
    ).toBe('abc');
    expect(frames.at(-1)).toEqual([3, '{"metadata":{},"status":"Success"}']);
    expect(runtime.resizes).toContainEqual({ width: 100, height: 30 });
    expect(runtime.requests.at(-1)).toMatchObject({ stdin: true, stderr: false, tty: true });
  });

  it('a session that cannot start reports an internal error on the error channel', async () => {
    const s = await open(`exec?${query(['fail-to-start'], 'stdout=1')}`, ['v5.channel.k8s.io']);
    await s.closed;
    expect(decoded(s.frames).at(-1)?.[1]).toContain(
      '"message":"Internal error occurred: error executing command in container: no such container process"',
    );
  });

  it.each([
    ['exec?command=ls&stdout=1', ['nope'], 403, 'requested protocol(s) are not supported: [nope]'],
    [
      'exec?command=ls',
      ['v5.channel.k8s.io'],
      400,
      'you must specify at least 1 of stdin, stdout, stderr',
    ],
    ['log', ['v5.channel.k8s.io'], 404, 'the server could not find the requested resource'],
    ['portforward', ['v5.channel.k8s.io'], 400, 'no tunneling spdy protocols provided'],
  ])('%s %j is answered %d before upgrading', async (path, protocols, code, text) => {
    const ws = new WebSocket(`${base}/${path}`, protocols);
    const answer = await new Promise<{ status?: number; body: string }>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
    });
    expect(answer.status).toBe(code);
    expect(answer.body).toContain(text);
  });

  /** Sends a raw HTTP request and returns everything the server answers. */
  function raw(lines: string[]): Promise<string> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.once('end', () => resolve(answer));
      socket.once('error', reject);
      socket.end(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  it('refuses a SPDY upgrade whose protocols do not match, listing the accepted ones', async () => {
    const answer = await raw([
      'POST /api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true HTTP/1.1',
      'Host: x',
      'Connection: Upgrade',
      'Upgrade: SPDY/3.1',
      'X-Stream-Protocol-Version: v9.channel.k8s.io',
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(answer).toContain('X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io\r\n');
    expect(answer).toContain(
      'unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]',
    );
  });

  it('answers a malformed WebSocket handshake with 400 and lets go of it', async () => {
    const answer = await raw([
      'GET /api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true HTTP/1.1',
      'Host: x',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Protocol: v5.channel.k8s.io',
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
