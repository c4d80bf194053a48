// Answers a question inside the cluster zone from the Kubernetes lookup, as CoreDNS's handler and
// backend_lookup do: A/AAAA (chasing ExternalName CNAMEs), SRV with additional addresses, CNAME,
// TXT dns-version, SOA/NS at the apex; NXDOMAIN or NODATA with the zone's SOA otherwise.
import { isIP } from 'node:net';
import type { Answer, RecordType, SoaAnswer } from 'dns-packet';
import { isInZone } from './request.js';
import { lookupRecords } from './lookup.js';
import type { ClusterView, DnsItem, LookupResult } from './types.js';

export type Rcode = 'NOERROR' | 'SERVFAIL' | 'NXDOMAIN' | 'REFUSED';

export interface ZoneReply {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

/** Resolves a name outside the zone (an ExternalName's target) through the upstreams. */
export type UpstreamLookup = (name: string, type: 'A' | 'AAAA') => Promise<Answer[] | undefined>;

export interface ZoneContext {
  zone: string;
  view: ClusterView;
  ttlSeconds: number;
  /** This server's own addresses: `ns.dns.<zone>`. */
  nameservers: string[];
  upstream: UpstreamLookup;
}

/** The schema version answered for TXT dns-version.<zone> (the Kubernetes DNS spec's). */
const DNS_SCHEMA_VERSION = '1.1.0';
const MAX_CNAME_CHAIN = 10;

type Records = { records: Answer[]; extra: Answer[] } | 'name-error';

function familyOf(host: string): 'A' | 'AAAA' | 'CNAME' {
  const v = isIP(host);
  return v === 4 ? 'A' : v === 6 ? 'AAAA' : 'CNAME';
}

/** The zone's SOA, as CoreDNS builds it (ns.dns, hostmaster, 7200/1800/86400, minimum = ttl). */
export function soaOf(ctx: ZoneContext, owner: string): SoaAnswer {
  return {
    type: 'SOA',
    name: owner,
    ttl: Math.min(ctx.ttlSeconds, 300),
    data: {
      mname: `ns.dns.${ctx.zone}`,
      rname: `hostmaster.${ctx.zone}`,
      serial: ctx.view.serial(),
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ctx.ttlSeconds,
    },
  };
}

function services(ctx: ZoneContext, name: string, type: RecordType): LookupResult {
  if (name === `ns.dns.${ctx.zone}`) {
    const wanted = type === 'AAAA' ? 6 : type === 'A' ? 4 : 0;
    const ips = ctx.nameservers.filter((ip) => isIP(ip) === wanted);
    return { isNameError: false, items: ips.map((host) => ({ host, port: 53, owner: name })) };
  }
  return lookupRecords(name, ctx.zone, ctx.view);
}

async function addresses(
  ctx: ZoneContext,
  qname: string,
  type: 'A' | 'AAAA',
  chain: Answer[],
): Promise<Records> {
  const found = services(ctx, qname.toLowerCase(), type);
  if (found.isNameError) {
    return 'name-error';
  }
  const records: Answer[] = [];
  const seen = new Set<string>();
  for (const item of found.items) {
    const family = familyOf(item.host);
    if (family === type && !seen.has(item.host)) {
      seen.add(item.host);
      records.push({ type, name: qname, ttl: ctx.ttlSeconds, data: item.host });
    } else if (family === 'CNAME') {
      records.push(...(await chase(ctx, { qname, type, chain }, item)));
    }
  }
  return { records, extra: [] };
}

/** A CNAME plus what its target resolves to; nothing when the target resolves to nothing. */
async function chase(
  ctx: ZoneContext,
  q: { qname: string; type: 'A' | 'AAAA'; chain: Answer[] },
  item: DnsItem,
): Promise<Answer[]> {
  const { qname, type, chain } = q;
  const target = item.host.toLowerCase();
  const isLoop = chain.some((r) => r.type === 'CNAME' && r.data === item.host);
  if (target === qname.toLowerCase() || chain.length > MAX_CNAME_CHAIN || isLoop) {
    return [];
  }
  const cname: Answer = { type: 'CNAME', name: qname, ttl: ctx.ttlSeconds, data: item.host };
  if (isInZone(target, ctx.zone)) {
    const next = await addresses(ctx, item.host, type, [...chain, cname]);
    return next !== 'name-error' && next.records.length > 0 ? [cname, ...next.records] : [];
  }
  const answers = await ctx.upstream(item.host, type);
  return answers ? [cname, ...answers] : [];
}

/** SRV weights: each record's share of 100 within its priority (all priority 0 here). */
function srv(ctx: ZoneContext, qname: string): Records {
  const found = services(ctx, qname.toLowerCase(), 'SRV');
  if (found.isNameError) {
    return 'name-error';
  }
  const items = found.items.filter((i) => familyOf(i.host) !== 'CNAME');
  const weight = Math.max(1, Math.floor((100 / (100 * items.length)) * 100));
  const records: Answer[] = [];
  const extra: Answer[] = [];
  const seen = new Set<string>();
  for (const item of items.filter((i) => i.port !== -1)) {
    const family = familyOf(item.host) as 'A' | 'AAAA';
    if (!seen.has(`${item.owner}:${item.port}`)) {
      seen.add(`${item.owner}:${item.port}`);
      const data = { priority: 0, weight, port: item.port, target: item.owner };
      records.push({ type: 'SRV', name: qname, ttl: ctx.ttlSeconds, data });
    }
    if (!seen.has(`${item.owner}/${item.host}`)) {
      seen.add(`${item.owner}/${item.host}`);
      extra.push({ type: family, name: item.owner, ttl: ctx.ttlSeconds, data: item.host });
    }
  }
  return { records, extra };
}

function cnames(ctx: ZoneContext, qname: string): Records {
  const found = services(ctx, qname.toLowerCase(), 'CNAME');
  if (found.isNameError) {
    return 'name-error';
  }
  const records = found.items
    .filter((i) => familyOf(i.host) === 'CNAME')
    .map((i): Answer => ({ type: 'CNAME', name: qname, ttl: ctx.ttlSeconds, data: i.host }));
  return { records, extra: [] };
}

/** TXT answers only dns-version; any other existing name is NODATA, the rest NXDOMAIN. */
function txt(ctx: ZoneContext, qname: string): Records {
  const name = qname.toLowerCase();
  if (name === `dns-version.${ctx.zone}`) {
    return {
      records: [{ type: 'TXT', name: qname, ttl: 28800, data: DNS_SCHEMA_VERSION }],
      extra: [],
    };
  }
  const found = services(ctx, name, 'TXT');
  return !found.isNameError && found.items.length > 0 ? { records: [], extra: [] } : 'name-error';
}

function apex(ctx: ZoneContext, qname: string, type: RecordType): Records {
  if (type === 'SOA') {
    return { records: [soaOf(ctx, qname)], extra: [] };
  }
  const ns = `ns.dns.${ctx.zone}`;
  const records: Answer[] = [{ type: 'NS', name: qname, ttl: ctx.ttlSeconds, data: ns }];
  const extra = ctx.nameservers.map((ip): Answer => ({
    type: isIP(ip) === 6 ? 'AAAA' : 'A',
    name: ns,
    ttl: ctx.ttlSeconds,
    data: ip,
  }));
  return { records, extra };
}

async function recordsFor(ctx: ZoneContext, qname: string, type: RecordType): Promise<Records> {
  if (type === 'A' || type === 'AAAA') {
    return addresses(ctx, qname, type, []);
  }
  const simple = SIMPLE[type];
  if (simple) {
    return simple(ctx, qname);
  }
  if ((type === 'SOA' || type === 'NS') && qname.toLowerCase() === ctx.zone) {
    return apex(ctx, qname, type);
  }
  // Other types: an address lookup tells NODATA from NXDOMAIN.
  const probe = await addresses(ctx, qname, 'A', []);
  return probe === 'name-error' ? probe : { records: [], extra: [] };
}

const SIMPLE: Partial<Record<RecordType, (ctx: ZoneContext, qname: string) => Records>> = {
  SRV: srv,
  CNAME: cnames,
  TXT: txt,
};

/** The authoritative reply to one question whose name is in the zone. */
export async function answerInZone(
  ctx: ZoneContext,
  qname: string,
  type: RecordType,
): Promise<ZoneReply> {
  if (type === 'AXFR' || type === 'IXFR') {
    return { rcode: 'REFUSED', answers: [], authorities: [], additionals: [] };
  }
  const result = await recordsFor(ctx, qname, type);
  const zoneOwner = qname.slice(qname.length - ctx.zone.length);
  if (result === 'name-error') {
    return {
      rcode: 'NXDOMAIN',
      answers: [],
      authorities: [soaOf(ctx, zoneOwner)],
      additionals: [],
    };
  }
  if (result.records.length === 0) {
    return { rcode: 'NOERROR', answers: [], authorities: [soaOf(ctx, zoneOwner)], additionals: [] };
  }
  return { rcode: 'NOERROR', answers: result.records, authorities: [], additionals: result.extra };
}
