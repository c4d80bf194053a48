// Parsing of the OS files a kubelet reads, and a sanity check of this machine's reading.
import { cpus, release, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  goArch,
  goOs,
  hugePageSizeBytes,
  parseMemAvailable,
  parseOsRelease,
  readMachineInfo,
} from './machine.js';

describe('parseOsRelease', () => {
  it.each([
    [
      'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      'Debian GNU/Linux 12 (bookworm)',
    ],
    ["PRETTY_NAME='Alpine Linux v3.20'", 'Alpine Linux v3.20'],
    ['PRETTY_NAME=Fedora', 'Fedora'],
    ['PRETTY_NAME="Say \\"hi\\""', 'Say "hi"'],
    ['NAME=Ubuntu\n', 'Linux'],
    ['PRETTY_NAME=""', 'Linux'],
    ['', 'Linux'],
  ])('%j → %s', (text, expected) => {
    expect(parseOsRelease(text)).toBe(expected);
  });
});

describe('Go spellings', () => {
  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['ia32', '386'],
    ['ppc64', 'ppc64le'],
    ['s390x', 's390x'],
  ])('arch %s → %s', (arch, expected) => {
    expect(goArch(arch)).toBe(expected);
  });

  it.each([
    ['linux', 'linux'],
    ['win32', 'windows'],
    ['darwin', 'darwin'],
  ])('os %s → %s', (platform, expected) => {
    expect(goOs(platform)).toBe(expected);
  });
});

describe('proc and sys parsing', () => {
  it.each([
    ['hugepages-2048kB', 2 * 1024 * 1024],
    ['hugepages-1048576kB', 1024 * 1024 * 1024],
    ['hugepages', undefined],
  ])('%s → %s bytes', (name, expected) => {
    expect(hugePageSizeBytes(name)).toBe(expected);
  });

  it.each([
    ['MemTotal:       24684096 kB\nMemAvailable:   23876804 kB\n', 23876804 * 1024],
    ['MemTotal:       24684096 kB\n', undefined],
  ])('MemAvailable of %j', (text, expected) => {
    expect(parseMemAvailable(text)).toBe(expected);
  });
});

describe('readMachineInfo', () => {
  it('reads this machine', () => {
    const m = readMachineInfo('/');
    expect(m.cpuCores).toBe(cpus().length);
    expect(m.memoryBytes).toBe(totalmem());
    expect(m.kernelVersion).toBe(release());
    expect(m.hostname).toBe(m.hostname.toLowerCase());
    expect(m.rootFs.capacityBytes).toBeGreaterThan(0);
    expect(m.rootFs.availableBytes).toBeLessThanOrEqual(m.rootFs.capacityBytes);
    expect(m.memoryAvailableBytes).toBeGreaterThan(0);
    expect(m.osImage).not.toBe('');
  });
});
