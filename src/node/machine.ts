// Facts about this machine that a kubelet reports in its Node (cAdvisor's MachineInfo and the
// root filesystem): read from the OS at the boundary, parsed by the pure helpers below.
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import { cpus, freemem, hostname, release, totalmem } from 'node:os';

/** One huge page size the kernel offers, and how many pages are reserved. */
export interface HugePages {
  sizeBytes: number;
  count: number;
}

/** A snapshot of the machine: static identity plus the current free memory and disk. */
export interface MachineInfo {
  hostname: string;
  cpuCores: number;
  memoryBytes: number;
  /** MemAvailable: what the eviction manager calls memory.available, near enough. */
  memoryAvailableBytes: number;
  hugePages: HugePages[];
  rootFs: { capacityBytes: number; availableBytes: number; inodes: number; inodesFree: number };
  machineID: string;
  bootID: string;
  systemUUID: string;
  osImage: string;
  kernelVersion: string;
  /** GOOS spelling: linux, darwin, windows. */
  operatingSystem: string;
  /** GOARCH spelling: amd64, arm64. */
  architecture: string;
}

const GOARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** Node's process.arch in Go's GOARCH spelling, which the kubernetes.io/arch label uses. */
export function goArch(arch: string): string {
  return GOARCH[arch] ?? arch;
}

/** Node's process.platform in Go's GOOS spelling. */
export function goOs(platform: string): string {
  return platform === 'win32' ? 'windows' : platform;
}

/** PRETTY_NAME from os-release text; cAdvisor falls back to "Linux" when it is missing. */
export function parseOsRelease(text: string): string {
  for (const line of text.split('\n')) {
    const m = /^\s*PRETTY_NAME=(.*)$/.exec(line);
    if (m?.[1] !== undefined) {
      const raw = m[1].trim();
      const quoted = /^(["'])(.*)\1$/.exec(raw);
      const value = quoted?.[2] !== undefined ? quoted[2].replace(/\\(.)/g, '$1') : raw;
      if (value) {
        return value;
      }
    }
  }
  return 'Linux';
}

/** MemAvailable from /proc/meminfo text, in bytes; undefined when absent. */
export function parseMemAvailable(text: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB$/m.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

/** `hugepages-2048kB` (a /sys/kernel/mm/hugepages entry) → the page size in bytes. */
export function hugePageSizeBytes(dirName: string): number | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(dirName);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // Not Linux, or not readable by this user: the field stays empty.
  }
}

function readHugePages(): HugePages[] {
  const dir = '/sys/kernel/mm/hugepages';
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const pages: HugePages[] = [];
  for (const name of entries) {
    const sizeBytes = hugePageSizeBytes(name);
    if (sizeBytes !== undefined) {
      const count = Number(readText(`${dir}/${name}/nr_hugepages`)?.trim() ?? '0');
      pages.push({ sizeBytes, count: Number.isFinite(count) ? count : 0 });
    }
  }
  return pages.sort((a, b) => a.sizeBytes - b.sizeBytes);
}

function readRootFs(rootDir: string): MachineInfo['rootFs'] {
  try {
    const s = statfsSync(rootDir);
    return {
      capacityBytes: s.blocks * s.bsize,
      availableBytes: s.bavail * s.bsize,
      inodes: s.files,
      inodesFree: s.ffree,
    };
  } catch {
    return { capacityBytes: 0, availableBytes: 0, inodes: 0, inodesFree: 0 };
  }
}

/** Reads the machine now; rootDir is the filesystem that backs ephemeral storage. */
export function readMachineInfo(rootDir = '/'): MachineInfo {
  const memoryBytes = totalmem();
  return {
    hostname: hostname().trim().toLowerCase(),
    cpuCores: cpus().length,
    memoryBytes,
    memoryAvailableBytes:
      parseMemAvailable(readText('/proc/meminfo') ?? '') ?? Math.min(freemem(), memoryBytes),
    hugePages: readHugePages(),
    rootFs: readRootFs(rootDir),
    machineID: (readText('/etc/machine-id') ?? readText('/var/lib/dbus/machine-id') ?? '').trim(),
    bootID: (readText('/proc/sys/kernel/random/boot_id') ?? '').trim(),
    systemUUID: (readText('/sys/class/dmi/id/product_uuid') ?? '').trim(),
    osImage: parseOsRelease(readText('/etc/os-release') ?? readText('/usr/lib/os-release') ?? ''),
    kernelVersion: release(),
    operatingSystem: goOs(process.platform),
    architecture: goArch(process.arch),
  };
}
