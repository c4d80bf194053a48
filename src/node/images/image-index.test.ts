import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { ImageIndex } from './image-index.js';

const image = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kubeproc.io/v1alpha1',
  kind: 'Image',
  metadata: { name },
  spec,
});

describe('ImageIndex', () => {
  it('finds an image by any equal form of its reference', () => {
    const index = new ImageIndex([
      image('busybox', { image: 'docker.io/library/busybox:latest', cmd: ['sh'] }),
    ]);
    for (const ref of ['busybox', 'busybox:latest', 'library/busybox', 'docker.io/busybox']) {
      expect(index.lookup(ref)).toEqual({ image: 'docker.io/library/busybox:latest', cmd: ['sh'] });
    }
    expect(index.lookup('busybox:1.36')).toBeUndefined();
    expect(index.lookup('Not A Reference')).toBeUndefined();
  });

  it('follows adds, updates and deletes', () => {
    const index = new ImageIndex();
    const v1 = image('localhost-5000.x-v1-ecc572cb1f', {
      image: 'localhost:5000/x:v1',
      entrypoint: ['./x'],
      workingDir: '/srv',
      env: [{ name: 'A' }, { name: 'B', value: '2' }],
    });
    index.onAdd(v1);
    expect(index.lookup('localhost:5000/x:v1')).toEqual({
      image: 'localhost:5000/x:v1',
      entrypoint: ['./x'],
      workingDir: '/srv',
      env: [
        { name: 'A', value: '' },
        { name: 'B', value: '2' },
      ],
    });
    index.onUpdate(v1, image(v1.metadata.name ?? '', { image: 'localhost:5000/x:v1', cmd: ['y'] }));
    expect(index.lookup('localhost:5000/x:v1')).toEqual({
      image: 'localhost:5000/x:v1',
      cmd: ['y'],
    });
    expect(index.size).toBe(1);
    index.onDelete(v1);
    expect(index.lookup('localhost:5000/x:v1')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('drops the old reference when an object changes reference, and ignores unusable specs', () => {
    const index = new ImageIndex([image('a', { image: 'a' })]);
    index.set(image('a', { image: 'b' }));
    expect(index.lookup('a')).toBeUndefined();
    expect(index.lookup('b')).toBeDefined();
    index.set(image('a', { image: 'B A D' }));
    expect(index.size).toBe(0);
  });

  it('removing one name leaves another object with the same reference alone', () => {
    const index = new ImageIndex([
      image('x', { image: 'busybox' }),
      image('y', { image: 'busybox' }),
    ]);
    index.remove('x');
    expect(index.lookup('busybox')).toBeDefined();
  });
});
