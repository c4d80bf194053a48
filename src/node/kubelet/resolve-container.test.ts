import { describe, expect, it } from 'vitest';
import { homeOf } from './resolve-container.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  'broken:x:1000',
].join('\n');

describe('homeOf', () => {
  it.each([
    [0, '/root'],
    [1, '/usr/sbin'],
    [65534, '/nonexistent'],
    // runc's rule for a user the passwd file does not know (or without a home field).
    [1000, '/'],
    [4242, '/'],
  ])('uid %i -> %s', (uid, home) => {
    expect(homeOf(uid, PASSWD)).toBe(home);
  });
});
