// The DNS server's sockets: UDP and TCP (2-byte length framing, RFC 1035 4.2.2) on each address.
// An address not (yet) on any interface is retried each second: in isolated mode the Service
// addresses appear on the host's dummy interface when the network is set up.
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { DnsHandler } from './handler.js';

const TCP_IDLE_MS = 10_000;
const RETRY_MS = 1000;
/** A query larger than this over TCP is not DNS we serve; the connection is closed. */
const TCP_MAX_MESSAGE = 65535;

export interface ListenerEvents {
  onListening(address: string): void;
  onWaiting(address: string, code: string): void;
  onError(error: Error): void;
}

function serveTcpConnection(
  socket: Socket,
  handler: DnsHandler,
  onError: (e: Error) => void,
): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const size = pending.readUInt16BE(0);
      if (pending.length < 2 + size) {
        break;
      }
      const message = pending.subarray(2, 2 + size);
      pending = pending.subarray(2 + size);
      handler.handle(Buffer.from(message), 'tcp').then((reply) => {
        if (reply && !socket.destroyed && reply.length <= TCP_MAX_MESSAGE) {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length, 0);
          socket.write(Buffer.concat([length, reply]));
        }
      }, onError);
    }
  });
}

function bindUdp(
  address: string,
  port: number,
  handler: DnsHandler,
  onError: (e: Error) => void,
): Promise<UdpSocket> {
  const socket = createSocket({ type: isIP(address) === 6 ? 'udp6' : 'udp4' });
  socket.on('message', (msg, from) => {
    handler.handle(msg, 'udp').then((reply) => {
      if (reply) {
        socket.send(reply, from.port, from.address);
      }
    }, onError);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      socket.on('error', onError);
      resolve(socket);
    });
  });
}

function bindTcp(
  address: string,
  port: number,
  handler: DnsHandler,
  onError: (e: Error) => void,
): Promise<Server> {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveTcpConnection(socket, handler, onError);
  });
  server.on('close', () => connections.forEach((c) => c.destroy()));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export class DnsListeners {
  private readonly udp: UdpSocket[] = [];
  private readonly tcp: Server[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private isClosed = false;
  readonly listening: string[] = [];

  constructor(
    private readonly handler: DnsHandler,
    private readonly port: number,
    private readonly events: ListenerEvents,
  ) {}

  /** Binds UDP and TCP on address; rejects unless the address is merely not there yet. */
  async listen(address: string): Promise<void> {
    try {
      await this.bindBoth(address);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code !== 'EADDRNOTAVAIL') {
        throw e;
      }
      this.events.onWaiting(address, code);
      this.retry(address);
    }
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.timers.forEach((t) => clearTimeout(t));
    await Promise.all([
      ...this.udp.map((s) => new Promise<void>((r) => s.close(() => r()))),
      ...this.tcp.map((s) => new Promise<void>((r) => s.close(() => r()))),
    ]);
  }

  private retry(address: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.isClosed) {
        return;
      }
      this.bindBoth(address).catch(() => this.retry(address));
    }, RETRY_MS);
    timer.unref();
    this.timers.add(timer);
  }

  private async bindBoth(address: string): Promise<void> {
    const onError = (e: Error): void => this.events.onError(e);
    const udp = await bindUdp(address, this.port, this.handler, onError);
    let tcp: Server;
    try {
      tcp = await bindTcp(address, this.port, this.handler, onError);
    } catch (e) {
      udp.close();
      throw e;
    }
    if (this.isClosed) {
      udp.close();
      tcp.close();
      return;
    }
    this.udp.push(udp);
    this.tcp.push(tcp);
    this.listening.push(address);
    this.events.onListening(address);
  }
}
