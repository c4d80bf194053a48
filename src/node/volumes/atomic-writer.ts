// Writes a volume's files the way the kubelet's atomic writer does: a fresh timestamped directory,
// a `..data` symlink swapped to it with one rename, and user-visible names as symlinks into ..data.
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { chmod, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** One file of a volume: content and permission bits, at a relative path. */
export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path → file. Paths use `/`, never start with `/` or contain `..`. */
export type Payload = Map<string, FileProjection>;

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';

/** Thrown for a payload path the writer refuses (absolute, `..`, or a reserved `..` prefix). */
export class PayloadPathError extends Error {
  readonly code = 'InvalidPayloadPath';
}

/** Upstream's validatePath: relative, at most 4096 bytes, no `..` element, no leading `..`. */
export function validatePayloadPath(p: string): void {
  if (p.length > 4096) {
    throw new PayloadPathError(`payload path ${p} is too long`);
  }
  if (path.posix.isAbsolute(p)) {
    throw new PayloadPathError(`payload path ${p} is absolute`);
  }
  if (p.split('/').includes('..')) {
    throw new PayloadPathError(`payload path ${p} contains '..'`);
  }
  if (p.startsWith('..')) {
    throw new PayloadPathError(`payload path ${p} starts with '..'`);
  }
}

/** "..2006_01_02_15_04_05.<random>", as the kubelet names its payload directories. */
function timestampedName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = [
    now.getUTCFullYear(),
    pad(now.getUTCMonth() + 1),
    pad(now.getUTCDate()),
    pad(now.getUTCHours()),
    pad(now.getUTCMinutes()),
    pad(now.getUTCSeconds()),
  ].join('_');
  return `..${stamp}.${randomBytes(5).toString('hex')}`;
}

/**
 * Makes `dir` hold exactly `payload`; returns false when it already did (nothing written).
 * Readers see either the old or the new set of files, never a mix.
 */
export async function writeAtomic(
  dir: string,
  payload: Payload,
  now = new Date(),
): Promise<boolean> {
  for (const p of payload.keys()) {
    validatePayloadPath(p);
  }
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const dataLink = path.join(dir, DATA_DIR_NAME);
  const oldTs = await readlink(dataLink).catch(() => undefined);
  if (oldTs !== undefined && (await holdsPayload(path.join(dir, oldTs), payload))) {
    return false;
  }
  const tsName = timestampedName(now);
  const tsDir = path.join(dir, tsName);
  await mkdir(tsDir, { mode: 0o755 });
  for (const [rel, file] of payload) {
    const full = path.join(tsDir, rel);
    await mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data, { mode: file.mode });
    // writeFile's mode passes through the umask; the projection's mode is exact.
    await chmod(full, file.mode);
  }
  const tmpLink = path.join(dir, DATA_DIR_TMP_NAME);
  await rm(tmpLink, { force: true });
  await symlink(tsName, tmpLink);
  await rename(tmpLink, dataLink);
  const wanted = topLevelNames(payload);
  for (const name of wanted) {
    const link = path.join(dir, name);
    const isLink = await lstat(link).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    if (!isLink) {
      await rm(link, { recursive: true, force: true });
      await symlink(path.posix.join(DATA_DIR_NAME, name), link);
    }
  }
  for (const entry of await readdir(dir)) {
    const isStaleTs = entry.startsWith('..') && entry !== DATA_DIR_NAME && entry !== tsName;
    const isStaleName = !entry.startsWith('..') && !wanted.has(entry);
    if (isStaleTs || isStaleName) {
      await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }
  return true;
}

function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));
}

// The current payload directory holds exactly these files with these modes and contents.
async function holdsPayload(tsDir: string, payload: Payload): Promise<boolean> {
  const existing = await listFiles(tsDir).catch(() => undefined);
  if (!existing || existing.length !== payload.size) {
    return false;
  }
  for (const rel of existing) {
    const want = payload.get(rel);
    const full = path.join(tsDir, rel);
    if (!want || ((await stat(full)).mode & 0o7777) !== want.mode) {
      return false;
    }
    if (!(await readFile(full)).equals(want.data)) {
      return false;
    }
  }
  return true;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.push(...(await listFiles(path.join(dir, e.name), rel)));
    } else {
      out.push(rel);
    }
  }
  return out;
}
