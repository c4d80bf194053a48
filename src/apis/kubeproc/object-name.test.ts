import { describe, expect, it } from 'vitest';
import { isDNS1123Subdomain } from '../validation/validators.js';
import { imageObjectNameOf } from './object-name.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

describe('imageObjectNameOf', () => {
  it.each([
    // Readable forms that read back exactly are the name.
    ['busybox', 'busybox'],
    ['docker.io/library/busybox:latest', 'busybox'],
    ['ghostwritten/hello-world-flask', 'ghostwritten.hello-world-flask'],
    ['localhost/app', 'localhost.app'],
    ['library/a/b', 'library.a.b'],
    // Everything else gets the hash of the canonical reference.
    ['busybox:1.36', 'busybox-1.36-d55432289a'],
    ['localhost:5000/x:v1', 'localhost-5000.x-v1-ecc572cb1f'],
    ['quay.io/foo/bar', 'quay.io.foo.bar-8c3e265337'],
    // A dot inside a path component would read back as a slash.
    ['my.app', 'my.app-62068257cb'],
    ['busybox-1.36', 'busybox-1.36-eb18522b9f'],
    // A readable form that ends like a hash suffix is hashed too, so the two kinds never meet.
    ['app-0123456789', 'app-0123456789-0bb827a900'],
    [`busybox@${SHA}`, 'busybox-sha256-abababababab-5069190cf0'],
    ['[::1]:5000/app:V_1', '1--5000.app-v-1-ce3856e50e'],
  ])('%s -> %s', (reference, name) => {
    expect(imageObjectNameOf(reference)).toBe(name);
  });

  it('gives equal references one name', () => {
    const names = ['busybox', 'busybox:latest', 'library/busybox', 'index.docker.io/busybox'].map(
      imageObjectNameOf,
    );
    expect(new Set(names)).toEqual(new Set(['busybox']));
  });

  it('gives different references different, valid names', () => {
    const references = [
      'a/b',
      'a-b',
      'a.b',
      'a/b:c',
      'a/b-c',
      'a.b-c',
      'a:b',
      'a:B',
      'a-b:v',
      'localhost/a',
      'localhost:5000/a',
      'localhost-5000/a',
      'a/b/c',
      'a.b/c',
      `a@${SHA}`,
      `a@sha256:${'ab'.repeat(31)}ac`,
      'x/' + 'a'.repeat(200) + ':' + 'T'.repeat(100),
      'x/' + 'a'.repeat(200) + ':' + 'T'.repeat(99),
    ];
    const names = references.map(imageObjectNameOf);
    expect(new Set(names).size).toBe(references.length);
    for (const name of names) {
      expect(isDNS1123Subdomain(name)).toEqual([]);
    }
  });
});
