import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { nodePrinter, nodeRoles } from './node.js';

type Json = Record<string, unknown>;
const now = new Date('2025-01-10T12:00:00Z');
const ready = (status: string): Json => ({ type: 'Ready', status });
const node = (fields: Json, labels?: Record<string, string>): KubeObject => ({
  metadata: { name: 'node1', creationTimestamp: '2025-01-08T12:00:00Z', labels },
  ...fields,
});
const info = {
  kubeletVersion: 'v1.32.0-kubeproc',
  osImage: 'Ubuntu 24.04 LTS',
  kernelVersion: '6.8.0-51-generic',
  containerRuntimeVersion: 'kubeproc://0.1.0',
  architecture: 'amd64',
};

describe('node printer', () => {
  it.each<[string, KubeObject, unknown[]]>([
    [
      'ready node',
      node(
        {
          status: {
            conditions: [ready('True')],
            addresses: [
              { type: 'Hostname', address: 'node1' },
              { type: 'InternalIP', address: '127.0.0.1' },
            ],
            nodeInfo: info,
          },
        },
        { 'node-role.kubernetes.io/control-plane': '' },
      ),
      [
        'node1',
        'Ready',
        'control-plane',
        '2d',
        'v1.32.0-kubeproc',
        '127.0.0.1',
        '<none>',
        'Ubuntu 24.04 LTS',
        '6.8.0-51-generic',
        'kubeproc://0.1.0',
      ],
    ],
    [
      'cordoned',
      node({
        spec: { unschedulable: true },
        status: { conditions: [ready('True')], nodeInfo: info },
      }),
      [
        'node1',
        'Ready,SchedulingDisabled',
        '<none>',
        '2d',
        'v1.32.0-kubeproc',
        '<none>',
        '<none>',
        'Ubuntu 24.04 LTS',
        '6.8.0-51-generic',
        'kubeproc://0.1.0',
      ],
    ],
    [
      'not ready',
      node({ status: { conditions: [ready('False')], nodeInfo: info } }),
      [
        'node1',
        'NotReady',
        '<none>',
        '2d',
        'v1.32.0-kubeproc',
        '<none>',
        '<none>',
        'Ubuntu 24.04 LTS',
        '6.8.0-51-generic',
        'kubeproc://0.1.0',
      ],
    ],
    [
      'unknown ready condition',
      node({ status: { conditions: [ready('Unknown')], nodeInfo: info } }),
      [
        'node1',
        'NotReady',
        '<none>',
        '2d',
        'v1.32.0-kubeproc',
        '<none>',
        '<none>',
        'Ubuntu 24.04 LTS',
        '6.8.0-51-generic',
        'kubeproc://0.1.0',
      ],
    ],
    [
      'no conditions, cordoned, no info',
      node({
        spec: { unschedulable: true },
        status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }] },
      }),
      [
        'node1',
        'Unknown,SchedulingDisabled',
        '<none>',
        '2d',
        '',
        '<none>',
        '203.0.113.7',
        '<unknown>',
        '<unknown>',
        '<unknown>',
      ],
    ],
  ])('%s', (_name, n, want) => {
    expect(nodePrinter.cells(n, now)).toEqual(want);
  });

  it.each<[Record<string, string> | undefined, string[]]>([
    [undefined, []],
    [
      { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': 'true' },
      ['control-plane', 'worker'],
    ],
    [{ 'node-role.kubernetes.io/': '' }, []],
    [{ 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/master': '' }, ['master']],
    [{ 'kubernetes.io/role': '' }, []],
    [{ 'kubernetes.io/hostname': 'node1' }, []],
  ])('roles of %j', (labels, want) => {
    expect(nodeRoles(labels)).toEqual(want);
  });

  it('has the upstream columns', () => {
    expect(nodePrinter.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
  });
});
