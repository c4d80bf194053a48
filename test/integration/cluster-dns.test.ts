// Cluster DNS against the built kubeproc: Services made with the real kubectl are answered on
// kube-dns's ClusterIP (a free port instead of 53), names outside the zone are forwarded to a
// FakeUpstream, and `kubectl get svc -n kube-system kube-dns` shows the address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsQuery, FakeUpstream, freeDnsPort } from '../../src/dns/testing.js';
import { eventually, startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';

const DNS_IP = '127.96.0.10';
let kp: Kubeproc;
let target: { host: string; port: number };
const upstream = new FakeUpstream({ 'outside.test': '192.0.2.7' });

const MANIFESTS = `
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: peers }
spec:
  clusterIP: None
  ports: [{ name: gossip, port: 7000 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: peers-1
  labels: { kubernetes.io/service-name: peers }
addressType: IPv4
ports: [{ name: gossip, port: 7000, protocol: TCP }]
endpoints:
  - addresses: [10.244.0.11]
    hostname: peer-0
    conditions: { ready: true }
  - addresses: [10.244.0.12]
    conditions: { ready: false }
---
apiVersion: v1
kind: Service
metadata: { name: docs }
spec:
  type: ExternalName
  externalName: outside.test
`;

beforeAll(async () => {
  const upstreamPort = await upstream.start('127.0.0.1');
  target = { host: DNS_IP, port: await freeDnsPort(DNS_IP) };
  kp = await startKubeproc([
    '--cluster-dns-port',
    String(target.port),
    '--cluster-dns-upstreams',
    `127.0.0.1:${upstreamPort}`,
    '--no-ingress',
  ]);
  kp.kubectlOk(['apply', '-f', '-'], MANIFESTS);
});

afterAll(async () => {
  await kp?.stop();
  await upstream.close();
});

describe('cluster DNS', () => {
  it('shows kube-dns in kube-system with the 10th address of the service range', () => {
    const out = kp.kubectlOk(['get', 'svc', '-n', 'kube-system', 'kube-dns']);
    expect(out).toMatch(
      /^kube-dns\s+ClusterIP\s+127\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s/m,
    );
    const slice = kp.kubectlOk(['get', 'endpointslice', '-n', 'kube-system', 'kube-dns']);
    expect(slice).toContain(DNS_IP);
  });

  it('answers a Service A record with its ClusterIP, over UDP and TCP', async () => {
    const ip = kp.kubectlOk(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    await eventually('web.default.svc.cluster.local to resolve', async () => {
      const reply = await dnsQuery(target, 'web.default.svc.cluster.local', 'A');
      return reply.answers.some((a) => a.data === ip);
    });
    const tcp = await dnsQuery(target, 'web.default.svc.cluster.local', 'A', { tcp: true });
    expect(tcp.answers.map((a) => a.data)).toEqual([ip]);
    const srv = await dnsQuery(target, '_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(srv.answers[0]?.data).toMatchObject({
      port: 80,
      target: 'web.default.svc.cluster.local',
    });
  });

  it('answers a headless Service with its ready endpoints and their hostnames', async () => {
    await eventually('peers to resolve', async () => {
      const reply = await dnsQuery(target, 'peers.default.svc.cluster.local', 'A');
      return reply.answers.length > 0;
    });
    const all = await dnsQuery(target, 'peers.default.svc.cluster.local', 'A');
    expect(all.answers.map((a) => a.data)).toEqual(['10.244.0.11']);
    const one = await dnsQuery(target, 'peer-0.peers.default.svc.cluster.local', 'A');
    expect(one.answers.map((a) => a.data)).toEqual(['10.244.0.11']);
    const srv = await dnsQuery(target, '_gossip._tcp.peers.default.svc.cluster.local', 'SRV');
    expect(srv.answers[0]?.data).toMatchObject({
      port: 7000,
      target: 'peer-0.peers.default.svc.cluster.local',
    });
  });

  it('answers NXDOMAIN with the SOA for a missing Service, NODATA for AAAA', async () => {
    const missing = await dnsQuery(target, 'nope.default.svc.cluster.local', 'A');
    expect(missing.rcode).toBe('NXDOMAIN');
    expect(missing.authorities[0]?.type).toBe('SOA');
    const aaaa = await dnsQuery(target, 'kubernetes.default.svc.cluster.local', 'AAAA');
    expect(aaaa.rcode).toBe('NOERROR');
    expect(aaaa.answers).toEqual([]);
  });

  it('answers pod names and ExternalName CNAMEs, forwarding the rest upstream', async () => {
    const pod = await dnsQuery(target, '10-244-3-4.default.pod.cluster.local', 'A');
    expect(pod.answers.map((a) => a.data)).toEqual(['10.244.3.4']);
    await eventually('docs to resolve', async () => {
      const reply = await dnsQuery(target, 'docs.default.svc.cluster.local', 'A');
      return reply.answers.length === 2;
    });
    const docs = await dnsQuery(target, 'docs.default.svc.cluster.local', 'A');
    expect(docs.answers.map((a) => `${a.type} ${String(a.data)}`)).toEqual([
      'CNAME outside.test',
      'A 192.0.2.7',
    ]);
    const outside = await dnsQuery(target, 'outside.test', 'A');
    expect(outside.answers.map((a) => a.data)).toEqual(['192.0.2.7']);
    expect(upstream.queries).toContain('outside.test');
  });
});
