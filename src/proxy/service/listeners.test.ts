import { describe, expect, it } from 'vitest';
import type { Service } from '../../apis/core/v1/types.js';
import { desiredListeners } from './listeners.js';

function service(name: string, spec: Service['spec']): Service {
  return { metadata: { name, namespace: 'default' }, spec };
}

const summary = (services: Service[]) =>
  [...desiredListeners(services, '127.0.0.1')].map(
    ([key, l]) =>
      `${key} ${l.binding.serviceKey}#${l.binding.portName} ${l.binding.affinityMs ?? '-'}`,
  );

describe('desiredListeners', () => {
  it.each([
    [
      'a ClusterIP port',
      [service('web', { clusterIP: '127.96.0.5', ports: [{ name: 'http', port: 80 }] })],
      ['127.96.0.5:80 default/web#http -'],
    ],
    [
      'a NodePort service on both addresses',
      [
        service('np', {
          type: 'NodePort',
          clusterIP: '127.96.0.6',
          ports: [{ port: 8080, nodePort: 30080 }],
        }),
      ],
      ['127.96.0.6:8080 default/np# -', '127.0.0.1:30080 default/np# -'],
    ],
    [
      'ClientIP affinity (default 3 hours)',
      [
        service('aff', {
          clusterIP: '127.96.0.7',
          sessionAffinity: 'ClientIP',
          ports: [{ port: 80 }],
        }),
      ],
      ['127.96.0.7:80 default/aff# 10800000'],
    ],
    [
      'an affinity timeout',
      [
        service('aff', {
          clusterIP: '127.96.0.7',
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
          ports: [{ port: 80 }],
        }),
      ],
      ['127.96.0.7:80 default/aff# 60000'],
    ],
    ['headless services', [service('hl', { clusterIP: 'None', ports: [{ port: 80 }] })], []],
    [
      'ExternalName services',
      [
        service('ext', {
          type: 'ExternalName',
          externalName: 'example.com',
          ports: [{ port: 80 }],
        }),
      ],
      [],
    ],
    [
      'UDP ports',
      [service('dns', { clusterIP: '127.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] })],
      [],
    ],
  ])('%s', (_what, services, expected) => {
    expect(summary(services)).toEqual(expected);
  });
});
