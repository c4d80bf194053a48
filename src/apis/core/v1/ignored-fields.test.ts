// Ignored-field warnings: user-set fields a process runtime does not act on, never our defaults.
import { describe, expect, it } from 'vitest';
import { coreV1Strategies } from './strategies.js';
import type { Pod, Service } from './types.js';

describe('ignoredFields', () => {
  it('says nothing about a plain defaulted pod', () => {
    const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    coreV1Strategies.Pod!.default!(pod);
    expect(coreV1Strategies.Pod!.ignoredFields!(pod)).toEqual([]);
  });

  it('names each ignored field as a path', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        affinity: { nodeAffinity: {} },
        tolerations: [{ key: 'k', operator: 'Exists' }],
        securityContext: { runAsUser: 1000, fsGroup: 2000 },
        containers: [{ name: 'c', image: 'i', securityContext: { readOnlyRootFilesystem: true } }],
        volumes: [
          { name: 'cfg', configMap: { name: 'c' } },
          { name: 'pvc', persistentVolumeClaim: { claimName: 'data' } },
        ],
      },
    };
    coreV1Strategies.Pod!.default!(pod);
    expect(coreV1Strategies.Pod!.ignoredFields!(pod)).toEqual([
      'spec.affinity',
      'spec.tolerations',
      'spec.securityContext.runAsUser',
      'spec.securityContext.fsGroup',
      'spec.containers[0].securityContext',
      'spec.volumes[1].persistentVolumeClaim',
    ]);
  });

  it('covers services', () => {
    const svc: Service = {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }], externalIPs: ['1.2.3.4'] },
    };
    expect(coreV1Strategies.Service!.ignoredFields!(svc)).toEqual(['spec.externalIPs']);
  });
});
