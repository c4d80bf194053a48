// SPDY/3.1 exec with the protocol versions kubectl no longer picks (v3: resize stream, text
// status; v2), driven by a spdy-transport client over a real socket.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import transport from 'spdy-transport';
import type { SpdyConnection, SpdyStream } from 'spdy-transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecExit, ExecRequest, ExecSession, TerminalSize } from './types.js';
import { handleStreamingUpgrade } from './upgrade.js';

/** Runs exec as real child processes (the OS boundary). */
class FakeRuntime {
  readonly children = new Set<ChildProcess>();
  readonly resizes: TerminalSize[] = [];

  exec = (r: ExecRequest): Promise<ExecSession> => {
    const child = spawn(r.command[0] ?? 'false', r.command.slice(1), { stdio: 'pipe' });
    this.children.add(child);
    const exit = new Promise<ExecExit>((resolve) =>
      child.once('exit', (code) => resolve({ exitCode: code ?? 1 })),
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

function read(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.once('end', () => resolve(text));
  });
}

describe('SPDY exec, older protocol versions', () => {
  const runtime = new FakeRuntime();
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) =>
      handleStreamingUpgrade(req, socket, head, {
        log: pino({ level: 'silent' }),
        route: () => Promise.resolve({ exec: runtime.exec }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    runtime.children.forEach((c) => c.kill('SIGKILL'));
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  /** Upgrades a connection and returns a SPDY client on it, with the negotiated protocol. */
  async function dial(query: string, protocol: string) {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    sockets.push(socket);
    socket.write(
      `POST /api/v1/namespaces/ns/pods/p/exec?${query} HTTP/1.1\r\nHost: x\r\n` +
        `Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
    );
    const head = await new Promise<string>((resolve) => {
      let buffered = Buffer.alloc(0);
      const onData = (d: Buffer): void => {
        buffered = Buffer.concat([buffered, d]);
        const end = buffered.indexOf('\r\n\r\n');
        if (end >= 0) {
          socket.off('data', onData);
          socket.pause();
          socket.unshift(buffered.subarray(end + 4));
          resolve(buffered.subarray(0, end).toString());
        }
      };
      socket.on('data', onData);
    });
    const client: SpdyConnection = transport.connection.create(socket, {
      protocol: 'spdy',
      isServer: false,
    });
    client.on('error', () => undefined);
    client.start(3.1);
    // One at a time: a stream written to before its SYN_STREAM is sent would jump the id order.
    const open = (streamtype: string): Promise<SpdyStream> =>
      new Promise((resolve, reject) => {
        client.request({ method: 'POST', path: '/', headers: { streamtype } }, (err, stream) =>
          err ? reject(err) : resolve(stream),
        );
      });
    return { head, open };
  }

  it('v3: a resize stream with tty, and the failure message as text on the error stream', async () => {
    const { head, open } = await dial(
      'command=sh&command=-c&command=read+l%3B+printf+%22got+%24l%22%3B+exit+5&stdin=1&stdout=1&tty=1',
      'v3.channel.k8s.io',
    );
    expect(head).toContain('X-Stream-Protocol-Version: v3.channel.k8s.io');
    const error = await open('error');
    const stdin = await open('stdin');
    const stdout = await open('stdout');
    const resize = await open('resize');
    resize.write('{"Width":120,"Height":40}\n');
    stdin.end('line\n');
    const [out, status] = await Promise.all([read(stdout), read(error)]);
    expect(out).toBe('got line');
    expect(status).toBe('command terminated with non-zero exit code: exit status 5');
    expect(runtime.resizes).toContainEqual({ width: 120, height: 40 });
  });

  it('v2: success leaves the error stream empty', async () => {
    const { open } = await dial('command=echo&command=ok&stdout=1&stderr=1', 'v2.channel.k8s.io');
    const error = await open('error');
    const stdout = await open('stdout');
    const stderr = await open('stderr');
    const [out, err, status] = await Promise.all([read(stdout), read(stderr), read(error)]);
    expect([out, err, status]).toEqual(['ok\n', '', '']);
  });
});
