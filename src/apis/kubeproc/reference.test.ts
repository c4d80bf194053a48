import { describe, expect, it } from 'vitest';
import {
  checkImageReference,
  familiarImageReference,
  normalizeImageReference,
  parseImageReference,
} from './reference.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

describe('normalizeImageReference', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:latest', 'docker.io/library/busybox:latest'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['ghostwritten/hello-world-flask:latest', 'docker.io/ghostwritten/hello-world-flask:latest'],
    ['ghostwritten/hello-world-flask', 'docker.io/ghostwritten/hello-world-flask:latest'],
    ['localhost:5000/x', 'localhost:5000/x:latest'],
    ['localhost:5000/team/x:v1', 'localhost:5000/team/x:v1'],
    ['localhost/x', 'localhost/x:latest'],
    ['quay.io/prometheus/node-exporter:v1.8.0', 'quay.io/prometheus/node-exporter:v1.8.0'],
    ['[::1]:5000/app:V_1', '[::1]:5000/app:V_1'],
    ['Example.com/app', 'Example.com/app:latest'],
    [`busybox@${SHA}`, `docker.io/library/busybox@${SHA}`],
    // A tag beside a digest is dropped: the digest alone names the content (ParseDockerRef).
    [`busybox:1.36@${SHA}`, `docker.io/library/busybox@${SHA}`],
    ['a__b/c--d.e_f', 'docker.io/a__b/c--d.e_f:latest'],
    // Looks like a host (a dot) but is not one: Docker keeps it as a path without a domain.
    ['a_b.c/d', 'a_b.c/d:latest'],
  ])('%s -> %s', (input, canonical) => {
    expect(normalizeImageReference(input)).toBe(canonical);
  });

  it.each([
    ['', 'invalid reference format'],
    ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
    ['busybox:', 'invalid reference format'],
    ['busybox:a b', 'invalid reference format'],
    [' busybox', 'invalid reference format'],
    ['busybox/', 'invalid reference format'],
    ['-busybox', 'invalid reference format'],
    ['busybox:-tag', 'invalid reference format'],
    ['busybox@sha256:abc', 'invalid reference format'],
    ['busybox@md5:' + 'a'.repeat(32), 'unsupported digest algorithm'],
    ['busybox@sha256:' + 'a'.repeat(63), 'invalid checksum digest length'],
    ['busybox@sha256:' + 'A'.repeat(64), 'invalid checksum digest format'],
    [
      'a'.repeat(64),
      `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`,
    ],
    ['x/' + 'a'.repeat(250), 'repository name must not be more than 255 characters'],
    ['busybox:' + 't'.repeat(129), 'invalid reference format'],
  ])('rejects %j: %s', (input, problem) => {
    expect(checkImageReference(input)).toEqual({ problem });
    expect(() => parseImageReference(input)).toThrow(problem);
  });
});

describe('familiarImageReference', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    ['docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['ghostwritten/hello-world-flask', 'ghostwritten/hello-world-flask:latest'],
    // Docker keeps library/ when the official namespace is nested.
    ['library/a/b', 'library/a/b:latest'],
    ['localhost:5000/x:v1', 'localhost:5000/x:v1'],
    [`busybox@${SHA}`, `busybox@${SHA}`],
  ])('%s -> %s', (input, familiar) => {
    expect(familiarImageReference(parseImageReference(input))).toBe(familiar);
  });
});

describe('parseImageReference', () => {
  it('splits domain, path, tag and digest', () => {
    expect(parseImageReference('localhost:5000/team/x:v1')).toEqual({
      domain: 'localhost:5000',
      path: 'team/x',
      tag: 'v1',
    });
    expect(parseImageReference(`x@${SHA}`)).toEqual({
      domain: 'docker.io',
      path: 'library/x',
      digest: SHA,
    });
  });
});
