import { describe, expect, it } from 'vitest';
import type { Container } from '../../apis/core/v1/types.js';
import type { ImageSpec } from '../../apis/kubeproc/types.js';
import { isWaiting, resolveContainerCommand } from './resolve.js';

const busybox: ImageSpec = {
  image: 'docker.io/library/busybox:latest',
  entrypoint: ['/bin/busybox'],
  cmd: ['sh'],
  workingDir: '/srv',
  env: [
    { name: 'PATH', value: '/opt/bin:/usr/bin:/bin' },
    { name: 'MODE', value: 'image' },
  ],
};
const flask: ImageSpec = {
  image: 'docker.io/ghostwritten/hello-world-flask:latest',
  cmd: ['python3', 'app.py'],
};

describe('resolveContainerCommand', () => {
  it.each<[string, Container, ImageSpec | undefined, string[], string[]]>([
    ['the image entrypoint and cmd', { image: 'busybox' }, busybox, ['/bin/busybox'], ['sh']],
    [
      'args replace the cmd',
      { image: 'busybox', args: ['wget', '-qO-', 'http://x'] },
      busybox,
      ['/bin/busybox'],
      ['wget', '-qO-', 'http://x'],
    ],
    [
      'command replaces the entrypoint and drops the cmd',
      { image: 'busybox', command: ['echo'] },
      busybox,
      ['echo'],
      [],
    ],
    [
      'command and args replace both',
      { image: 'busybox', command: ['echo'], args: ['hi'] },
      busybox,
      ['echo'],
      ['hi'],
    ],
    [
      'empty lists count as unset',
      { image: 'busybox', command: [], args: [] },
      busybox,
      ['/bin/busybox'],
      ['sh'],
    ],
    [
      'without an entrypoint the first word of cmd is the program',
      { image: 'ghostwritten/hello-world-flask:latest' },
      flask,
      ['python3'],
      ['app.py'],
    ],
    [
      'without an entrypoint args are the whole command line',
      { image: 'ghostwritten/hello-world-flask', args: ['wget', '-qO-', 'http://x'] },
      flask,
      ['wget'],
      ['-qO-', 'http://x'],
    ],
    [
      'an unregistered image with a command',
      { image: 'nginx', command: ['sleep', '10'] },
      undefined,
      ['sleep', '10'],
      [],
    ],
  ])('%s', (...row) => {
    const [, container, image, command, args] = row;
    const result = resolveContainerCommand(container, image);
    expect(result).toMatchObject({ command, args });
  });

  it('names the registered image it used', () => {
    expect(resolveContainerCommand({ image: 'busybox:latest' }, busybox)).toMatchObject({
      imageID: 'docker.io/library/busybox:latest',
      fromImage: true,
    });
    expect(resolveContainerCommand({ image: 'x', command: ['true'] }, undefined)).toMatchObject({
      imageID: '',
      fromImage: false,
    });
  });

  it('takes workingDir from the container, else the image', () => {
    expect(resolveContainerCommand({ image: 'busybox' }, busybox)).toMatchObject({
      workingDir: '/srv',
    });
    expect(
      resolveContainerCommand({ image: 'busybox', workingDir: '/tmp' }, busybox),
    ).toMatchObject({ workingDir: '/tmp' });
    expect(
      resolveContainerCommand({ image: 'x', command: ['true'] }, undefined),
    ).not.toHaveProperty('workingDir');
  });

  it('keeps the image env the container does not set', () => {
    const result = resolveContainerCommand(
      { image: 'busybox', env: [{ name: 'MODE', value: 'container' }] },
      busybox,
    );
    expect(result).toMatchObject({ env: [{ name: 'PATH', value: '/opt/bin:/usr/bin:/bin' }] });
  });

  it.each<[string, Container, ImageSpec | undefined, string, string]>([
    [
      'an unregistered image without a command',
      { image: 'busybox', args: ['wget', 'http://x'] },
      undefined,
      'ErrImagePull',
      'image "busybox" is not registered with kubeproc and the container sets no command: register it with "kubeproc image add busybox -- COMMAND [ARGS...]" or set command in the pod spec',
    ],
    [
      'an image with nothing to run',
      { image: 'busybox' },
      { image: 'docker.io/library/busybox:latest' },
      'CreateContainerError',
      'no command specified: image "busybox" has no entrypoint or cmd and the container sets neither command nor args: register it with "kubeproc image add busybox -- COMMAND [ARGS...]" or set command in the pod spec',
    ],
    [
      'an unparsable reference',
      { image: 'Busybox', command: ['true'] },
      undefined,
      'InvalidImageName',
      'Failed to apply default image tag "Busybox": couldn\'t parse image name "Busybox": invalid reference format: repository name (library/Busybox) must be lowercase',
    ],
  ])('waits on %s', (...row) => {
    const [, container, image, reason, message] = row;
    const result = resolveContainerCommand(container, image);
    expect(isWaiting(result)).toBe(true);
    expect(result).toEqual({ waiting: { reason, message } });
  });
});
