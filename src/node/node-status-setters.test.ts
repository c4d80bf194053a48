// Node status computation: resources, conditions and their events, change detection.
import { describe, expect, it } from 'vitest';
import type { MachineInfo } from './machine.js';
import {
  buildNodeStatus,
  initialNode,
  nodeResources,
  nodeStatusHasChanged,
  reconcileExistingNode,
} from './node-status-setters.js';
import { nodeConditions } from './node-status-conditions.js';
import type { NodeConfig } from './node-status-setters.js';

const GI = 1024 ** 3;
const MI = 1024 ** 2;

const machine = (over: Partial<MachineInfo> = {}): MachineInfo => ({
  hostname: 'box',
  cpuCores: 8,
  memoryBytes: 16 * GI,
  memoryAvailableBytes: 8 * GI,
  hugePages: [],
  rootFs: { capacityBytes: 100 * GI, availableBytes: 50 * GI, inodes: 1000, inodesFree: 500 },
  machineID: 'mid',
  bootID: 'boot-1',
  systemUUID: 'uuid',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0',
  operatingSystem: 'linux',
  architecture: 'amd64',
  ...over,
});

const cfg: NodeConfig = {
  nodeName: 'node1',
  hostname: 'node1',
  internalIP: '127.0.0.1',
  maxPods: 110,
  kubeletPort: 10250,
  labels: {},
};

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:00:10Z');

describe('nodeResources', () => {
  it('keeps back the hard eviction thresholds from allocatable', () => {
    const { capacity, allocatable } = nodeResources(machine(), 110);
    expect(capacity).toEqual({
      cpu: '8',
      'ephemeral-storage': '100Gi',
      memory: '16Gi',
      pods: '110',
    });
    // 100Gi less float32(0.1) of it, truncated, as upstream computes it.
    expect(allocatable).toEqual({
      cpu: '8',
      'ephemeral-storage': String(100 * GI - Math.trunc(100 * GI * Math.fround(0.1))),
      memory: `${16 * 1024 - 100}Mi`,
      pods: '110',
    });
  });

  it('reports huge pages and takes them out of allocatable memory', () => {
    const m = machine({
      hugePages: [
        { sizeBytes: 2 * MI, count: 512 },
        { sizeBytes: GI, count: 0 },
      ],
    });
    const { capacity, allocatable } = nodeResources(m, 110);
    expect(capacity['hugepages-2Mi']).toBe('1Gi');
    expect(capacity['hugepages-1Gi']).toBe('0');
    expect(allocatable.memory).toBe(`${15 * 1024 - 100}Mi`);
  });
});

describe('nodeConditions', () => {
  it('creates the four conditions in kubelet order, each with its event', () => {
    const { conditions, events } = nodeConditions(undefined, machine(), T0);
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      [
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(events).toEqual([
      'NodeHasSufficientMemory',
      'NodeHasNoDiskPressure',
      'NodeHasSufficientPID',
      'NodeReady',
    ]);
  });

  it('moves heartbeats only, until a status flips', () => {
    const first = nodeConditions(undefined, machine(), T0).conditions;
    const again = nodeConditions(first, machine(), T1);
    expect(again.events).toEqual([]);
    expect(again.conditions.every((c) => c.lastHeartbeatTime === '2026-01-01T00:00:10Z')).toBe(
      true,
    );
    expect(again.conditions.every((c) => c.lastTransitionTime === '2026-01-01T00:00:00Z')).toBe(
      true,
    );
  });

  it.each([
    [
      { memoryAvailableBytes: 50 * MI },
      'MemoryPressure',
      'KubeletHasInsufficientMemory',
      'NodeHasInsufficientMemory',
    ],
    [
      { rootFs: { capacityBytes: 100 * GI, availableBytes: 5 * GI, inodes: 10, inodesFree: 5 } },
      'DiskPressure',
      'KubeletHasDiskPressure',
      'NodeHasDiskPressure',
    ],
    [
      {
        rootFs: { capacityBytes: 100 * GI, availableBytes: 50 * GI, inodes: 1000, inodesFree: 10 },
      },
      'DiskPressure',
      'KubeletHasDiskPressure',
      'NodeHasDiskPressure',
    ],
  ])('pressure %j turns %s True', (over, type, reason, event) => {
    const first = nodeConditions(undefined, machine(), T0).conditions;
    const { conditions, events } = nodeConditions(first, machine(over), T1);
    const c = conditions.find((x) => x.type === type);
    expect(c).toMatchObject({ status: 'True', reason, lastTransitionTime: '2026-01-01T00:00:10Z' });
    expect(events).toEqual([event]);
  });

  it('records NodeReady when Ready comes back from Unknown and keeps foreign conditions', () => {
    const first = nodeConditions(undefined, machine(), T0).conditions.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown' } : c,
    );
    const foreign = {
      type: 'KernelDeadlock',
      status: 'False' as const,
      reason: 'KernelHasNoDeadlock',
    };
    const { conditions, events } = nodeConditions([foreign, ...first], machine(), T1);
    expect(events).toEqual(['NodeReady']);
    expect(conditions[0]).toEqual(foreign);
  });

  it('adds NoResourceLimits while pods run without cgroups, and drops it once they do', () => {
    const why = { resourceLimitsUnavailable: 'no cgroup filesystem is mounted' };
    const first = nodeConditions(undefined, machine(), T0, why);
    expect(first.conditions.find((c) => c.type === 'NoResourceLimits')).toMatchObject({
      status: 'True',
      reason: 'CgroupsUnavailable',
      message:
        'pods run without cgroup limits (cpu, memory, pids are not enforced): no cgroup filesystem is mounted',
    });
    expect(first.events).toContain('NodeHasNoResourceLimits');
    const again = nodeConditions(first.conditions, machine(), T1, why);
    expect(again.events).toEqual([]);
    const later = nodeConditions(again.conditions, machine(), T1);
    expect(later.conditions.map((c) => c.type)).toEqual([
      'MemoryPressure',
      'DiskPressure',
      'PIDPressure',
      'Ready',
    ]);
  });
});

describe('buildNodeStatus', () => {
  it('fills nodeInfo, addresses and the kubelet endpoint', () => {
    const { status } = buildNodeStatus(cfg, machine(), undefined, T0);
    expect(status.nodeInfo).toMatchObject({
      machineID: 'mid',
      bootID: 'boot-1',
      systemUUID: 'uuid',
      kernelVersion: '6.1.0',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'kubeproc://0.1.0',
      kubeletVersion: 'v1.32.4',
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'node1' },
    ]);
    expect(status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  });

  it('warns Rebooted when the boot id changed', () => {
    const before = buildNodeStatus(cfg, machine(), undefined, T0).status;
    const { events } = buildNodeStatus(cfg, machine({ bootID: 'boot-2' }), before, T1);
    expect(events).toEqual([
      {
        type: 'Warning',
        reason: 'Rebooted',
        message: 'Node node1 has been rebooted, boot id: boot-2',
      },
    ]);
  });

  it('tells changes apart from heartbeats', () => {
    const a = buildNodeStatus(cfg, machine(), undefined, T0).status;
    const b = buildNodeStatus(cfg, machine(), a, T1).status;
    expect(nodeStatusHasChanged(a, b)).toBe(false);
    const c = buildNodeStatus(cfg, machine({ cpuCores: 4 }), b, T1).status;
    expect(nodeStatusHasChanged(b, c)).toBe(true);
  });
});

describe('registration objects', () => {
  it('labels the node with the kubelet defaults and configured extras, no roles by default', () => {
    const { node, events } = initialNode({ ...cfg, labels: { team: 'a' } }, machine(), T0);
    expect(node.metadata.labels).toEqual({
      team: 'a',
      'kubernetes.io/hostname': 'node1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
    expect(events.map((e) => e.message)).toContain('Node node1 status is now: NodeReady');
  });

  it('fixes default labels on an existing node and leaves its spec alone', () => {
    const { node } = initialNode(cfg, machine(), T0);
    const existing = {
      ...node,
      metadata: { ...node.metadata, labels: { 'kubernetes.io/hostname': 'old', extra: 'x' } },
      spec: { unschedulable: true },
    };
    const fixed = reconcileExistingNode(existing, cfg, machine());
    expect(fixed?.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node1', extra: 'x' });
    expect(fixed?.spec).toEqual({ unschedulable: true });
    expect(reconcileExistingNode(node, cfg, machine())).toBeUndefined();
  });
});
