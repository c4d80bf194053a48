import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import type { ServiceSpec } from '../../apis/core/v1/types.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

function service(name: string, namespace: string, spec: ServiceSpec): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

describe('serviceEnvVars', () => {
  it('gives one unnamed TCP port the host, port and docker link variables', () => {
    const svc = service('foo', 'ns', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] });
    expect(serviceEnvVars([svc])).toEqual({
      FOO_SERVICE_HOST: '10.0.0.1',
      FOO_SERVICE_PORT: '80',
      FOO_PORT: 'tcp://10.0.0.1:80',
      FOO_PORT_80_TCP: 'tcp://10.0.0.1:80',
      FOO_PORT_80_TCP_PROTO: 'tcp',
      FOO_PORT_80_TCP_PORT: '80',
      FOO_PORT_80_TCP_ADDR: '10.0.0.1',
    });
  });

  it('names named ports, keeps the first as SERVICE_PORT and FOO_PORT, and links every port', () => {
    const svc = service('my-svc-v2', 'ns', {
      clusterIP: '10.0.0.2',
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { name: 'sctp-x', port: 9, protocol: 'SCTP' },
      ],
    });
    expect(serviceEnvVars([svc])).toEqual({
      MY_SVC_V2_SERVICE_HOST: '10.0.0.2',
      MY_SVC_V2_SERVICE_PORT: '8080',
      MY_SVC_V2_SERVICE_PORT_HTTP: '8080',
      MY_SVC_V2_SERVICE_PORT_DNS_UDP: '53',
      MY_SVC_V2_SERVICE_PORT_SCTP_X: '9',
      MY_SVC_V2_PORT: 'tcp://10.0.0.2:8080',
      MY_SVC_V2_PORT_8080_TCP: 'tcp://10.0.0.2:8080',
      MY_SVC_V2_PORT_8080_TCP_PROTO: 'tcp',
      MY_SVC_V2_PORT_8080_TCP_PORT: '8080',
      MY_SVC_V2_PORT_8080_TCP_ADDR: '10.0.0.2',
      MY_SVC_V2_PORT_53_UDP: 'udp://10.0.0.2:53',
      MY_SVC_V2_PORT_53_UDP_PROTO: 'udp',
      MY_SVC_V2_PORT_53_UDP_PORT: '53',
      MY_SVC_V2_PORT_53_UDP_ADDR: '10.0.0.2',
      MY_SVC_V2_PORT_9_SCTP: 'sctp://10.0.0.2:9',
      MY_SVC_V2_PORT_9_SCTP_PROTO: 'sctp',
      MY_SVC_V2_PORT_9_SCTP_PORT: '9',
      MY_SVC_V2_PORT_9_SCTP_ADDR: '10.0.0.2',
    });
  });

  it('turns only dashes in a port name, even one starting with a digit', () => {
    const svc = service('backend', 'ns', {
      clusterIP: '10.0.0.3',
      ports: [{ name: '80-8080', port: 80 }],
    });
    expect(serviceEnvVars([svc])).toHaveProperty('BACKEND_SERVICE_PORT_80_8080', '80');
  });

  it('uses the protocol of a UDP first port in FOO_PORT', () => {
    const svc = service('dns', 'ns', {
      clusterIP: '10.0.0.10',
      ports: [{ port: 53, protocol: 'UDP' }],
    });
    expect(serviceEnvVars([svc]).DNS_PORT).toBe('udp://10.0.0.10:53');
  });

  it.each([
    ['headless', 'None'],
    ['no cluster IP (ExternalName)', ''],
    ['cluster IP missing', undefined],
  ])('skips a %s Service', (_what, clusterIP) => {
    const svc = service('skip', 'ns', { clusterIP, ports: [{ port: 80 }] });
    expect(serviceEnvVars([svc])).toEqual({});
  });

  it('skips a Service without ports instead of failing', () => {
    expect(serviceEnvVars([service('bare', 'ns', { clusterIP: '10.0.0.4' })])).toEqual({});
  });
});

describe('servicesForPod', () => {
  const services = [
    service('kubernetes', 'default', { clusterIP: '1.2.3.1', ports: [{ port: 8081 }] }),
    service('test', 'test1', { clusterIP: '1.2.3.3', ports: [{ port: 8083 }] }),
    service('kubernetes', 'test2', { clusterIP: '1.2.3.4', ports: [{ port: 8084 }] }),
    service('test', 'test2', { clusterIP: '1.2.3.5', ports: [{ port: 8085 }] }),
    service('test', 'test2', { clusterIP: 'None', ports: [{ port: 8085 }] }),
    service('test', 'test2', { clusterIP: '', ports: [{ port: 8085 }] }),
    service('not-special', 'default', { clusterIP: '1.2.3.8', ports: [{ port: 8088 }] }),
  ];
  const ips = (ns: string, links: boolean): string[] =>
    servicesForPod(services, ns, links).map((s) => (s.spec as ServiceSpec).clusterIP ?? '');

  // Cases of kubelet_pods_test.go TestMakeEnvironmentVariables.
  it.each([
    ['other namespace, links off: master only', 'test1', false, ['1.2.3.1']],
    ['other namespace, links on: own + master', 'test1', true, ['1.2.3.1', '1.2.3.3']],
    ['master name in pod namespace, links off', 'test2', false, ['1.2.3.1']],
    [
      'master name in pod namespace, links on: the pod namespace one wins',
      'test2',
      true,
      ['1.2.3.4', '1.2.3.5'],
    ],
    ['pod in default, links off', 'default', false, ['1.2.3.1']],
    ['pod in default, links on', 'default', true, ['1.2.3.1', '1.2.3.8']],
    ['namespace without services', 'empty', true, ['1.2.3.1']],
  ])('%s', (_name, ns, links, expected) => {
    expect(ips(ns, links)).toEqual(expected);
  });

  it('lets the pod namespace master-named Service win whatever the list order', () => {
    const reversed = [...services].reverse();
    const chosen = servicesForPod(reversed, 'test2', true).map(
      (s) => (s.spec as ServiceSpec).clusterIP,
    );
    expect(chosen).toEqual(['1.2.3.4', '1.2.3.5']);
  });
});
