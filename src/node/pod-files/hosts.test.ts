import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import { managedHostsFile, nodenameForKernel, podHostnameAndDomain } from './hosts.js';
import { writePodNetworkFiles } from './write.js';

const HEADER =
  '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

function pod(name: string, spec: Pod['spec'] = {}): Pod {
  return { metadata: { name, namespace: 'default' }, spec };
}

describe('podHostnameAndDomain', () => {
  it.each([
    ['the pod name', pod('web-1'), 'web-1', ''],
    ['spec.hostname', pod('web-1', { hostname: 'busybox-1' }), 'busybox-1', ''],
    [
      'with a subdomain',
      pod('web-1', { hostname: 'busybox-1', subdomain: 'sub' }),
      'busybox-1',
      'sub.default.svc.cluster.local',
    ],
    ['a long name cut to 63, no trailing dash', pod(`${'a'.repeat(62)}-bcd`), 'a'.repeat(62), ''],
  ])('%s', (_name, p, hostname, domain) => {
    expect(podHostnameAndDomain(p, 'cluster.local')).toEqual({ hostname, domain });
  });

  it.each([
    [
      { hostname: 'Bad_Name' },
      'pod Hostname "Bad_Name" is not a valid DNS label: a lowercase RFC 1123 label must consist of lower case alphanumeric characters',
    ],
    [{ subdomain: 'a.b' }, 'pod Subdomain "a.b" is not a valid DNS label: must not contain dots'],
  ])('refuses %j', (spec, message) => {
    expect(() => podHostnameAndDomain(pod('p', spec), 'cluster.local')).toThrow(message);
  });

  it('uses the FQDN as kernel hostname with setHostnameAsFQDN, up to 64 characters', () => {
    const p = pod('p', { hostname: 'h', subdomain: 's', setHostnameAsFQDN: true });
    expect(nodenameForKernel(p, podHostnameAndDomain(p, 'cluster.local'))).toBe(
      'h.s.default.svc.cluster.local',
    );
    const long = pod('p', { hostname: 'h'.repeat(40), subdomain: 's', setHostnameAsFQDN: true });
    expect(() => nodenameForKernel(long, podHostnameAndDomain(long, 'cluster.local'))).toThrow(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${'h'.repeat(40)}.s.default.svc.cluster.local is too long (64 characters is the max, 68 characters requested)`,
    );
  });
});

describe('managedHostsFile', () => {
  it.each([
    ['plain', pod('web-1'), `${HEADER}10.244.0.5\tweb-1\n`],
    [
      'with a subdomain',
      pod('web-1', { subdomain: 'sub' }),
      `${HEADER}10.244.0.5\tweb-1.sub.default.svc.cluster.local\tweb-1\n`,
    ],
    [
      'with hostAliases',
      pod('web-1', { hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] }),
      `${HEADER}10.244.0.5\tweb-1\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n`,
    ],
  ])('%s', (_name, p, want) => {
    expect(managedHostsFile(p, ['10.244.0.5'], podHostnameAndDomain(p, 'cluster.local'))).toBe(
      want,
    );
  });
});

describe('writePodNetworkFiles', () => {
  it('writes hosts, resolv.conf and hostname, replacing earlier ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-files-'));
    const resolvConfPath = join(dir, 'node-resolv.conf');
    writeFileSync(resolvConfPath, 'nameserver 10.0.0.2\nsearch corp.example\n');
    const p = pod('web-1');
    const opts = { clusterDomain: 'cluster.local', clusterDns: ['10.96.0.10'], resolvConfPath };
    await writePodNetworkFiles(join(dir, 'etc'), p, ['10.244.0.9'], opts);
    const result = await writePodNetworkFiles(join(dir, 'etc'), p, ['10.244.0.5'], opts);
    expect(result.hostname).toBe('web-1');
    expect(readFileSync(result.paths.hostname, 'utf8')).toBe('web-1\n');
    expect(readFileSync(result.paths.hosts, 'utf8')).toBe(`${HEADER}10.244.0.5\tweb-1\n`);
    expect(readFileSync(result.paths.resolvConf, 'utf8')).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(readdirSync(join(dir, 'etc')).sort()).toEqual(['hostname', 'hosts', 'resolv.conf']);
  });

  it('gives a host-network pod the node hosts file plus its aliases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-files-'));
    const hostsPath = join(dir, 'node-hosts');
    writeFileSync(hostsPath, '127.0.0.1\tlocalhost\n10.0.0.1\tnode1\n');
    const p = pod('h', { hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] });
    const opts = {
      clusterDomain: 'cluster.local',
      clusterDns: ['10.96.0.10'],
      resolvConfPath: '',
      hostsPath,
    };
    const result = await writePodNetworkFiles(join(dir, 'etc'), p, ['10.0.0.1'], opts);
    expect(readFileSync(result.paths.hosts, 'utf8')).toBe(
      '127.0.0.1\tlocalhost\n10.0.0.1\tnode1\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n',
    );
    expect(readFileSync(result.paths.resolvConf, 'utf8')).toBe('search .\nnameserver 127.0.0.1\n');
  });
});
