// Isolated network mode's part of the launch argv: nsenter into the pod's network and UTS
// namespaces comes before unshare (so the PID namespace's init lives in them) or the command.
import { describe, expect, it } from 'vitest';
import { enterPodNamespaces, launchArgv } from './launch.js';

const NS = { nsenter: '/usr/bin/nsenter', netnsFile: '/run/netns/kpx-1', utsFile: '/run/u' };
const ENTER = ['/usr/bin/nsenter', '--net=/run/netns/kpx-1', '--uts=/run/u', '--'];

describe('pod namespaces in the launch argv', () => {
  it('enters them right before unshare in PID-namespace mode', () => {
    const argv = launchArgv({
      command: ['python3', '-m', 'http.server'],
      env: {},
      pidNamespace: { unshare: '/usr/bin/unshare', exitFile: '/x/0.exit' },
      podNamespaces: NS,
    });
    const at = argv.indexOf('/usr/bin/nsenter');
    expect(argv.slice(at, at + 5)).toEqual([...ENTER, '/usr/bin/unshare']);
  });

  it('enters them right before the command without a PID namespace', () => {
    const argv = launchArgv({ command: ['hostname'], env: {}, podNamespaces: NS });
    expect(argv.slice(-5)).toEqual([...ENTER, 'hostname']);
  });

  it('adds nothing in host network mode', () => {
    expect(enterPodNamespaces(undefined)).toEqual([]);
    expect(launchArgv({ command: ['hostname'], env: {} }).join(' ')).not.toContain('nsenter');
  });
});
