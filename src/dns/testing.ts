// Test helpers for the cluster DNS: a DNS client over UDP/TCP (dns-packet on the wire), a free
// port, and FakeUpstream, a stand-in for the node's resolver (the OS boundary), answering fixed A records.
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { decode, encode, RECURSION_DESIRED } from 'dns-packet';
import type { Answer, Packet, RecordType } from 'dns-packet';

/** A record as the tests look at it. */
export interface DnsRecord {
  type: string;
  name: string;
  ttl?: number;
  data?: unknown;
}

export interface DnsReply {
  rcode: string;
  flag_aa: boolean;
  flag_tc: boolean;
  /** The reply's size on the wire. */
  size: number;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

const records = (list: Answer[] | undefined): DnsRecord[] => list ?? [];

function toReply(wire: Buffer): DnsReply {
  const p = decode(wire) as ReturnType<typeof decode> & { rcode: string };
  return {
    rcode: p.rcode,
    flag_aa: p.flag_aa,
    flag_tc: p.flag_tc,
    size: wire.length,
    answers: records(p.answers),
    authorities: records(p.authorities),
    additionals: records(p.additionals),
  };
}

export interface QueryOptions {
  tcp?: boolean;
  /** Announce EDNS with this UDP payload size. */
  ednsSize?: number;
  timeoutMs?: number;
}

function queryPacket(name: string, type: RecordType, opts: QueryOptions): Buffer {
  const packet: Packet = {
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: opts.ednsSize
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: opts.ednsSize,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ]
      : [],
  };
  return encode(packet);
}

/** Sends one query to host:port and decodes the reply; rejects after the timeout. */
export function dnsQuery(
  target: { host: string; port: number },
  name: string,
  type: RecordType,
  opts: QueryOptions = {},
): Promise<DnsReply> {
  const wire = queryPacket(name, type, opts);
  const timeoutMs = opts.timeoutMs ?? 3000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no DNS reply for ${type} ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (reply: Buffer): void => {
      clearTimeout(timer);
      cleanup();
      resolve(toReply(reply));
    };
    let cleanup = (): void => {};
    if (opts.tcp) {
      const socket = connect(target.port, target.host);
      let data = Buffer.alloc(0);
      cleanup = () => socket.destroy();
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
          finish(data.subarray(2, 2 + data.readUInt16BE(0)));
        }
      });
      const length = Buffer.alloc(2);
      length.writeUInt16BE(wire.length, 0);
      socket.write(Buffer.concat([length, wire]));
      return;
    }
    const socket = createSocket('udp4');
    cleanup = () => socket.close();
    socket.on('message', (msg) => finish(msg));
    socket.send(wire, target.port, target.host);
  });
}

/** A port free for both UDP and TCP on host. */
export async function freeDnsPort(host: string): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const isUdpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (isUdpFree) {
      return port;
    }
  }
}

/** A resolver double: answers A queries from a table, NXDOMAIN otherwise, or stays silent. */
export class FakeUpstream {
  private socket: UdpSocket | undefined;
  queries: string[] = [];

  constructor(
    private readonly records: Record<string, string>,
    private readonly isSilent = false,
  ) {}

  async start(host = '127.0.0.1'): Promise<number> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg, from) => {
      const q = decode(msg);
      const question = q.questions?.[0];
      this.queries.push(question?.name ?? '');
      if (this.isSilent || !question) {
        return;
      }
      const ip = this.records[question.name.toLowerCase()];
      const reply = encode({
        type: 'response',
        id: q.id ?? 0,
        flags: RECURSION_DESIRED | 0x80 | (ip ? 0 : 3),
        questions: q.questions ?? [],
        answers:
          ip && question.type === 'A'
            ? [{ type: 'A', name: question.name, ttl: 60, data: ip }]
            : [],
      });
      socket.send(reply, from.port, from.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
    return socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }
}
