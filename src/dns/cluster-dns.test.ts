// The cluster DNS end to end over real sockets: the in-memory API, informers, UDP and TCP,
// forwarding to a FakeUpstream; one table of names and the answers CoreDNS gives for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { KubeObject } from '../apis/meta.js';
import { createInMemoryApi } from '../api/in-memory.js';
import { ENDPOINTSLICES, SERVICES } from '../client/resources.js';
import { startClusterDns } from './index.js';
import type { RunningClusterDns } from './index.js';
import { dnsQuery, FakeUpstream, freeDnsPort } from './testing.js';

const HOST = '127.0.0.1';
const log = pino({ level: 'silent' });
const api = createInMemoryApi();
const upstream = new FakeUpstream({ 'example.test': '192.0.2.1' });
let dns: RunningClusterDns;
let target: { host: string; port: number };
let webIP = '';

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({
  metadata: { name, namespace: 'default' },
  spec,
});

function slice(service: string, endpoints: unknown[], ports: unknown[]): KubeObject {
  return {
    metadata: {
      name: `${service}-abc`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': service },
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

const ready = (ip: string, hostname?: string, isReady = true): unknown => ({
  addresses: [ip],
  conditions: { ready: isReady },
  ...(hostname ? { hostname } : {}),
});

beforeAll(async () => {
  const { client } = api;
  const web = await client.create(
    SERVICES,
    svc('web', {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    }),
  );
  webIP = (web.spec as { clusterIP: string }).clusterIP;
  await client.create(
    SERVICES,
    svc('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  );
  await client.create(
    ENDPOINTSLICES,
    slice(
      'db',
      [ready('10.244.0.5', 'db-0'), ready('10.244.0.6'), ready('10.244.0.7', undefined, false)],
      [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    ),
  );
  await client.create(SERVICES, svc('lonely', { clusterIP: 'None', ports: [{ port: 1 }] }));
  await client.create(SERVICES, svc('ext', { type: 'ExternalName', externalName: 'example.test' }));
  await client.create(
    SERVICES,
    svc('alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
  );
  await client.create(SERVICES, svc('many', { clusterIP: 'None', ports: [{ port: 80 }] }));
  const many = Array.from({ length: 40 }, (_, i) => ready(`10.244.2.${i + 1}`));
  await client.create(
    ENDPOINTSLICES,
    slice('many', many, [{ name: '', port: 80, protocol: 'TCP' }]),
  );
  const upstreamPort = await upstream.start(HOST);
  target = { host: HOST, port: await freeDnsPort(HOST) };
  dns = await startClusterDns({
    client,
    addresses: [HOST],
    port: target.port,
    upstreams: [{ address: HOST, port: upstreamPort }],
    log,
  });
});

afterAll(async () => {
  await dns.close();
  await upstream.close();
});

type Row = [string, string, string, string[]];

describe('cluster DNS answers', () => {
  it.each<Row>([
    ['A', 'web.default.svc.cluster.local', 'NOERROR', ['A WEBIP']],
    ['A', 'WEB.Default.svc.cluster.local', 'NOERROR', ['A WEBIP']],
    ['AAAA', 'web.default.svc.cluster.local', 'NOERROR', []],
    ['A', 'nosuch.default.svc.cluster.local', 'NXDOMAIN', []],
    ['A', 'web.nons.svc.cluster.local', 'NXDOMAIN', []],
    ['A', 'default.svc.cluster.local', 'NOERROR', []],
    ['A', 'svc.cluster.local', 'NOERROR', []],
    ['A', 'cluster.local', 'NOERROR', []],
    ['A', 'foo.cluster.local', 'NXDOMAIN', []],
    ['A', 'a.b.c.web.default.svc.cluster.local', 'NXDOMAIN', []],
    ['A', 'db.default.svc.cluster.local', 'NOERROR', ['A 10.244.0.5', 'A 10.244.0.6']],
    ['A', 'db-0.db.default.svc.cluster.local', 'NOERROR', ['A 10.244.0.5']],
    ['A', '10-244-0-6.db.default.svc.cluster.local', 'NOERROR', ['A 10.244.0.6']],
    ['A', '10-244-0-7.db.default.svc.cluster.local', 'NXDOMAIN', []],
    ['A', 'lonely.default.svc.cluster.local', 'NXDOMAIN', []],
    [
      'SRV',
      '_http._tcp.web.default.svc.cluster.local',
      'NOERROR',
      ['SRV 0 100 80 web.default.svc.cluster.local'],
    ],
    [
      'SRV',
      '_dns._udp.web.default.svc.cluster.local',
      'NOERROR',
      ['SRV 0 100 53 web.default.svc.cluster.local'],
    ],
    ['SRV', '_http._udp.web.default.svc.cluster.local', 'NXDOMAIN', []],
    ['SRV', '_nope._tcp.web.default.svc.cluster.local', 'NXDOMAIN', []],
    [
      'SRV',
      '_pg._tcp.db.default.svc.cluster.local',
      'NOERROR',
      [
        'SRV 0 50 5432 db-0.db.default.svc.cluster.local',
        'SRV 0 50 5432 10-244-0-6.db.default.svc.cluster.local',
      ],
    ],
    ['A', '10-244-1-9.default.pod.cluster.local', 'NOERROR', ['A 10.244.1.9']],
    ['A', '10-244-1-9.nons.pod.cluster.local', 'NXDOMAIN', []],
    ['A', 'not-an-ip.default.pod.cluster.local', 'NXDOMAIN', []],
    ['CNAME', 'ext.default.svc.cluster.local', 'NOERROR', ['CNAME example.test']],
    ['A', 'ext.default.svc.cluster.local', 'NOERROR', ['CNAME example.test', 'A 192.0.2.1']],
    ['SRV', '_http._tcp.ext.default.svc.cluster.local', 'NXDOMAIN', []],
    [
      'A',
      'alias.default.svc.cluster.local',
      'NOERROR',
      ['CNAME web.default.svc.cluster.local', 'A WEBIP'],
    ],
    ['CNAME', 'web.default.svc.cluster.local', 'NOERROR', []],
    ['TXT', 'dns-version.cluster.local', 'NOERROR', ['TXT 1.1.0']],
    ['TXT', 'web.default.svc.cluster.local', 'NOERROR', []],
    ['MX', 'web.default.svc.cluster.local', 'NOERROR', []],
    ['MX', 'nosuch.default.svc.cluster.local', 'NXDOMAIN', []],
    ['NS', 'cluster.local', 'NOERROR', ['NS ns.dns.cluster.local']],
    ['A', 'ns.dns.cluster.local', 'NOERROR', [`A ${HOST}`]],
    ['A', 'example.test', 'NOERROR', ['A 192.0.2.1']],
    ['A', 'nowhere.test', 'NXDOMAIN', []],
  ])('%s %s -> %s %j', async (type, name, rcode, want) => {
    const reply = await dnsQuery(target, name, type as 'A');
    expect(reply.rcode).toBe(rcode);
    const got = reply.answers.map((a) => {
      const data = a.data;
      if (a.type === 'SRV') {
        const d = data as { priority: number; weight: number; port: number; target: string };
        return `SRV ${d.priority} ${d.weight} ${d.port} ${d.target}`;
      }
      return `${a.type} ${Array.isArray(data) ? String(data[0]) : String(data)}`;
    });
    expect(got.sort()).toEqual(want.map((w) => w.replace('WEBIP', webIP)).sort());
    for (const a of reply.answers) {
      // Records from the upstream keep its TTL; ours carry CoreDNS's 5 s (dns-version 28800).
      const ttl = a.name.endsWith('.test') ? 60 : a.type === 'TXT' ? 28800 : 5;
      expect(a.ttl).toBe(ttl);
    }
  });

  it.each([
    ['nosuch.default.svc.cluster.local', 'NXDOMAIN'],
    ['web.default.svc.cluster.local', 'NOERROR'],
  ])('a negative answer for %s carries the zone SOA (%s)', async (name, rcode) => {
    const reply = await dnsQuery(target, name, rcode === 'NOERROR' ? 'AAAA' : 'A');
    expect(reply.rcode).toBe(rcode);
    expect(reply.flag_aa).toBe(true);
    const soa = reply.authorities[0];
    expect(soa?.type).toBe('SOA');
    expect(soa?.name).toBe('cluster.local');
    expect(soa?.data).toMatchObject({
      mname: 'ns.dns.cluster.local',
      rname: 'hostmaster.cluster.local',
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 5,
    });
  });

  it('answers SRV with the targets addresses as additional records', async () => {
    const reply = await dnsQuery(target, '_pg._tcp.db.default.svc.cluster.local', 'SRV');
    const extra = reply.additionals.map((a) => `${a.name} ${String(a.data)}`);
    expect(extra.sort()).toEqual([
      '10-244-0-6.db.default.svc.cluster.local 10.244.0.6',
      'db-0.db.default.svc.cluster.local 10.244.0.5',
    ]);
  });

  it('answers over TCP with length framing', async () => {
    const reply = await dnsQuery(target, 'web.default.svc.cluster.local', 'A', { tcp: true });
    expect(reply.answers.map((a) => a.data)).toEqual([webIP]);
  });

  it('truncates UDP answers over 512 bytes without EDNS, not with EDNS or over TCP', async () => {
    const name = 'many.default.svc.cluster.local';
    const plain = await dnsQuery(target, name, 'A');
    expect(plain.flag_tc).toBe(true);
    expect(plain.size).toBeLessThanOrEqual(512);
    const edns = await dnsQuery(target, name, 'A', { ednsSize: 4096 });
    expect(edns.flag_tc).toBe(false);
    expect(edns.answers).toHaveLength(40);
    const tcp = await dnsQuery(target, name, 'A', { tcp: true });
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers).toHaveLength(40);
  });

  it('sees a Service created after start within a watch event', async () => {
    await api.client.create(SERVICES, svc('late', { ports: [{ port: 8080 }] }));
    await expect
      .poll(async () => (await dnsQuery(target, 'late.default.svc.cluster.local', 'A')).rcode, {
        timeout: 5000,
      })
      .toBe('NOERROR');
  });

  it('counts requests, responses and forwards', () => {
    const stats = dns.stats();
    expect(stats.requests.udp).toBeGreaterThan(30);
    expect(stats.requests.tcp).toBeGreaterThan(0);
    expect(stats.responses.NXDOMAIN).toBeGreaterThan(0);
    expect(stats.forwarded).toBeGreaterThanOrEqual(2);
  });
});

describe('forwarding failures', () => {
  it('answers SERVFAIL when the upstream stays silent', async () => {
    const silent = new FakeUpstream({}, true);
    const port = await silent.start(HOST);
    const dnsPort = await freeDnsPort(HOST);
    const other = await startClusterDns({
      client: api.client,
      addresses: [HOST],
      port: dnsPort,
      upstreams: [{ address: HOST, port }],
      forwardTimeoutMs: 200,
      log,
    });
    try {
      const reply = await dnsQuery({ host: HOST, port: dnsPort }, 'example.test', 'A');
      expect(reply.rcode).toBe('SERVFAIL');
      expect(silent.queries).toEqual(['example.test']);
      // The ExternalName's target cannot be resolved: CoreDNS leaves the CNAME out too.
      const ext = await dnsQuery(
        { host: HOST, port: dnsPort },
        'ext.default.svc.cluster.local',
        'A',
      );
      expect(ext.rcode).toBe('NOERROR');
      expect(ext.answers).toEqual([]);
    } finally {
      await other.close();
      await silent.close();
    }
  });
});
