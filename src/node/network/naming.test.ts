import { describe, expect, it } from 'vitest';
import { instanceId, instanceNames, podNames, uidPrefix } from './naming.js';

describe('naming', () => {
  it('derives a 6-hex instance id from the absolute data dir', () => {
    const id = instanceId('/var/lib/kubeproc');
    expect(id).toMatch(/^[0-9a-f]{6}$/);
    expect(instanceId('/var/lib/kubeproc/')).toBe(id);
    expect(instanceId('/var/lib/other')).not.toBe(id);
  });

  it('names the bridge, dummy, netns, veths and UTS file within the 15-character limit', () => {
    const inst = instanceNames('/d');
    const pod = podNames(inst, '6E5E769C-a6f4-418e-a96f-52b2db389029');
    expect(uidPrefix('6E5E769C-a6f4')).toBe('6e5e769c');
    expect(inst.bridge).toBe(`kp${inst.id}`);
    expect(inst.dummy).toBe(`kps${inst.id}`);
    expect(pod.netns).toBe(`kp${inst.id}-6e5e769c`);
    expect(pod.netnsFile).toBe(`/run/netns/kp${inst.id}-6e5e769c`);
    expect(pod.hostVeth).toBe('kpv6e5e769c');
    expect(pod.utsFile).toBe(`/run/kubeproc/${inst.id}/6e5e769c.uts`);
    for (const name of [inst.bridge, inst.dummy, pod.hostVeth, pod.peerVeth]) {
      expect(name.length).toBeLessThanOrEqual(15);
    }
  });
});
