// tcpSocket probes against real sockets on 127.0.0.1: an open port, a closed port, and a
// listener whose accept queue is full, so that connecting hangs until the timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './prober.js';

let open: net.Server;
let openPort = 0;
let closedPort = 0;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  open = net.createServer((socket) => socket.destroy());
  openPort = await listen(open);
  const closed = net.createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => open.close(resolve));
});

// A child that listens with a backlog of 1 and then blocks, so it never accepts: once two
// connections fill the queue the kernel drops further SYNs and a connect hangs.
const BLOCKED_LISTENER = `
const s = require('node:net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(s.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);
});`;

async function blockedListener(): Promise<{
  port: number;
  child: ChildProcess;
  fill: net.Socket[];
}> {
  const child = spawn(process.execPath, ['-e', BLOCKED_LISTENER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('blocked listener exited')));
  });
  const fill: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const socket = net.connect(port, '127.0.0.1');
    fill.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
  }
  return { port, child, fill };
}

describe('tcpSocket probe', () => {
  it('succeeds with an empty message when the port accepts', async () => {
    const out = await runProbe(
      { tcpSocket: { port: openPort }, timeoutSeconds: 1 },
      { ip: '127.0.0.1' },
    );
    expect(out).toEqual({ result: 'success', message: '' });
  });

  it('resolves a named port and prefers tcpSocket.host over the target IP', async () => {
    const probe = { tcpSocket: { port: 'db', host: '127.0.0.1' }, timeoutSeconds: 1 };
    const out = await runProbe(probe, { ip: '192.0.2.1', resolvePort: () => openPort });
    expect(out.result).toBe('success');
  });

  it('fails with Go dial text when the port is closed', async () => {
    const out = await runProbe(
      { tcpSocket: { port: closedPort }, timeoutSeconds: 1 },
      { ip: '127.0.0.1' },
    );
    expect(out).toEqual({
      result: 'failure',
      message: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });

  it('errors on a port name the container does not have', async () => {
    const out = await runProbe(
      { tcpSocket: { port: 'db' }, timeoutSeconds: 1 },
      { ip: '127.0.0.1' },
    );
    expect(out).toEqual({
      result: 'unknown',
      isError: true,
      message: 'strconv.Atoi: parsing "db": invalid syntax',
    });
  });

  it('times out when connecting hangs, for tcpSocket and httpGet', async () => {
    const blocked = await blockedListener();
    try {
      const started = Date.now();
      const tcp = await runProbe(
        { tcpSocket: { port: blocked.port }, timeoutSeconds: 1 },
        { ip: '127.0.0.1' },
      );
      expect(tcp).toEqual({
        result: 'failure',
        message: `dial tcp 127.0.0.1:${blocked.port}: i/o timeout`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      const probe = { httpGet: { port: blocked.port, path: '/' }, timeoutSeconds: 1 };
      const get = await runProbe(probe, { ip: '127.0.0.1' });
      expect(get).toEqual({
        result: 'failure',
        message: `Get "http://127.0.0.1:${blocked.port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    } finally {
      blocked.fill.forEach((s) => s.destroy());
      const exited = new Promise((resolve) => blocked.child.once('exit', resolve));
      blocked.child.kill();
      await exited;
    }
  });
});
