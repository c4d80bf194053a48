// One DNS message in, one out: questions in the cluster zone are answered from the cluster view,
// the rest forwarded upstream. Applies the reply rules every transport shares: header flags,
// rcode, EDNS echo, and truncation (TC) of UDP replies beyond 512 bytes or the EDNS size.
import {
  decode,
  encode,
  encodingLength,
  AUTHORITATIVE_ANSWER,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
} from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet } from 'dns-packet';
import type { Forwarder } from './forward.js';
import { isInZone } from './request.js';
import { answerInZone } from './zone-answer.js';
import type { Rcode, ZoneContext } from './zone-answer.js';
import type { DnsStats } from './stats.js';

export type Transport = 'udp' | 'tcp';

const RCODES: Record<Rcode | 'FORMERR' | 'NOTIMP', number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
/** Plain DNS over UDP (RFC 1035); EDNS clients may announce more, capped at what we send. */
const UDP_PLAIN_LIMIT = 512;
const UDP_EDNS_CAP = 4096;
const OPCODE_MASK = 0x7800;

export interface HandlerDeps {
  zone: Omit<ZoneContext, 'upstream'>;
  forwarder: Forwarder;
  isSynced(): boolean;
  stats: DnsStats;
}

function optOf(query: DecodedPacket): OptAnswer | undefined {
  return (query.additionals ?? []).find((a): a is OptAnswer => a.type === 'OPT');
}

function replyOpt(size: number): OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: size,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

/** A header-only error reply for a message we could not (or will not) parse. */
function headerReply(wire: Buffer, rcode: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(wire.readUInt16BE(0), 0);
  // QR, the query's opcode and RD, and the rcode.
  out.writeUInt16BE(0x8000 | (wire.readUInt16BE(2) & (OPCODE_MASK | 0x0100)) | rcode, 2);
  return out;
}

/** Drops additionals, then answers from the end, until the reply fits; sets TC if anything went. */
function fit(reply: Packet, limit: number): Packet {
  if (encodingLength(reply) <= limit) {
    return reply;
  }
  const opt = (reply.additionals ?? []).filter((a) => a.type === 'OPT');
  const answers = [...(reply.answers ?? [])];
  const out: Packet = {
    ...reply,
    additionals: opt,
    flags: (reply.flags ?? 0) | TRUNCATED_RESPONSE,
  };
  while (answers.length > 0 && encodingLength({ ...out, answers }) > limit) {
    answers.pop();
  }
  return {
    ...out,
    answers,
    authorities: encodingLength({ ...out, answers }) > limit ? [] : out.authorities,
  };
}

export class DnsHandler {
  constructor(private readonly deps: HandlerDeps) {}

  /** The reply to wire, or undefined when there is nothing to answer (not a query, no header). */
  async handle(wire: Buffer, transport: Transport): Promise<Buffer | undefined> {
    if (wire.length < 12 || (wire.readUInt16BE(2) & 0x8000) !== 0) {
      return undefined;
    }
    this.deps.stats.request(transport);
    let query: DecodedPacket;
    try {
      query = decode(wire);
    } catch {
      // Undecodable but with a header: tell the client, as any server does.
      return this.count(headerReply(wire, RCODES.FORMERR), 'FORMERR');
    }
    if ((wire.readUInt16BE(2) & OPCODE_MASK) !== 0) {
      return this.count(headerReply(wire, RCODES.NOTIMP), 'NOTIMP');
    }
    const question = query.questions?.[0];
    if (!question || (query.questions ?? []).length !== 1) {
      return this.count(headerReply(wire, RCODES.FORMERR), 'FORMERR');
    }
    const name = question.name.toLowerCase().replace(/\.$/, '');
    if (!isInZone(name, this.deps.zone.zone)) {
      return this.forward(wire, query);
    }
    if (!this.deps.isSynced()) {
      return this.reply(query, transport, {
        rcode: 'SERVFAIL',
        answers: [],
        authorities: [],
        additionals: [],
      });
    }
    const ctx: ZoneContext = {
      ...this.deps.zone,
      upstream: (n, t) => this.deps.forwarder.lookup(n, t),
    };
    return this.reply(query, transport, await answerInZone(ctx, question.name, question.type));
  }

  private async forward(wire: Buffer, query: DecodedPacket): Promise<Buffer> {
    this.deps.stats.forwarded();
    const reply = this.deps.forwarder.hasUpstreams
      ? await this.deps.forwarder.exchange(wire)
      : undefined;
    if (!reply) {
      return this.count(this.encodeError(query, 'SERVFAIL'), 'SERVFAIL');
    }
    this.deps.stats.response(rcodeName(reply.readUInt16BE(2) & 0xf));
    return reply;
  }

  private encodeError(query: DecodedPacket, rcode: Rcode): Buffer {
    const flags = (query.flags ?? 0) & RECURSION_DESIRED;
    const opt = optOf(query);
    return encode({
      type: 'response',
      id: query.id ?? 0,
      flags: flags | RCODES[rcode],
      questions: query.questions ?? [],
      answers: [],
      authorities: [],
      additionals: opt ? [replyOpt(UDP_EDNS_CAP)] : [],
    });
  }

  private reply(
    query: DecodedPacket,
    transport: Transport,
    r: { rcode: Rcode; answers: Answer[]; authorities: Answer[]; additionals: Answer[] },
  ): Buffer {
    const opt = optOf(query);
    const limit = opt
      ? Math.max(UDP_PLAIN_LIMIT, Math.min(opt.udpPayloadSize, UDP_EDNS_CAP))
      : UDP_PLAIN_LIMIT;
    const isAuthoritative = r.rcode !== 'SERVFAIL' && r.rcode !== 'REFUSED';
    let packet: Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags:
        ((query.flags ?? 0) & RECURSION_DESIRED) |
        (isAuthoritative ? AUTHORITATIVE_ANSWER : 0) |
        RCODES[r.rcode],
      questions: query.questions ?? [],
      answers: r.answers,
      authorities: r.authorities,
      additionals: [...r.additionals, ...(opt ? [replyOpt(limit)] : [])],
    };
    if (transport === 'udp') {
      packet = fit(packet, limit);
    }
    return this.count(encode(packet), r.rcode);
  }

  private count(wire: Buffer, rcode: string): Buffer {
    this.deps.stats.response(rcode);
    return wire;
  }
}

function rcodeName(code: number): string {
  const found = Object.entries(RCODES).find(([, n]) => n === code);
  return found ? found[0] : String(code);
}
