// Forwards queries for names outside the cluster zone to the node's resolvers over UDP (CoreDNS's
// `forward . /etc/resolv.conf`): upstreams are tried in order, each with a timeout; no answer
// from any of them is the caller's SERVFAIL.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import { decode, encode, RECURSION_DESIRED } from 'dns-packet';
import type { Answer } from 'dns-packet';

export interface Upstream {
  address: string;
  port: number;
}

export const DEFAULT_FORWARD_TIMEOUT_MS = 2000;

/** `1.2.3.4`, `1.2.3.4:5353`, `[::1]:53` or `::1` as an upstream. */
export function parseUpstream(text: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    return { address: bracketed[1] ?? '', port: Number(bracketed[2] ?? 53) };
  }
  if (isIP(text) !== 0) {
    return { address: text, port: 53 };
  }
  const colon = text.lastIndexOf(':');
  return { address: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

function exchangeOnce(
  query: Buffer,
  upstream: Upstream,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  const id = randomInt(0, 65536);
  const wire = Buffer.from(query);
  wire.writeUInt16BE(id, 0);
  const socket = createSocket(isIP(upstream.address) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const done = (reply: Buffer | undefined): void => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('message', (msg, from) => {
      if (msg.length >= 12 && msg.readUInt16BE(0) === id && from.port === upstream.port) {
        done(msg);
      }
    });
    socket.send(wire, upstream.port, upstream.address, (err) => {
      if (err) {
        done(undefined);
      }
    });
  });
}

export class Forwarder {
  constructor(
    private readonly upstreams: Upstream[],
    private readonly timeoutMs: number = DEFAULT_FORWARD_TIMEOUT_MS,
  ) {}

  get hasUpstreams(): boolean {
    return this.upstreams.length > 0;
  }

  /** The first upstream reply to query (raw wire format), its id set back to the query's. */
  async exchange(query: Buffer): Promise<Buffer | undefined> {
    for (const upstream of this.upstreams) {
      const reply = await exchangeOnce(query, upstream, this.timeoutMs);
      if (reply) {
        reply.writeUInt16BE(query.readUInt16BE(0), 0);
        return reply;
      }
    }
    return undefined;
  }

  /** The answer section for name/type from the upstreams; undefined when none answered. */
  async lookup(name: string, type: 'A' | 'AAAA'): Promise<Answer[] | undefined> {
    const query = encode({
      type: 'query',
      id: 0,
      flags: RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
    });
    const reply = await this.exchange(query);
    if (!reply) {
      return undefined;
    }
    try {
      return decode(reply).answers ?? [];
    } catch {
      // An undecodable upstream reply is no answer, like a lost one.
      return undefined;
    }
  }
}
