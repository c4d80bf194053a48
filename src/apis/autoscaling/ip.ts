// IP parsing with the semantics of k8s.io/utils/net.ParseIPSloppy (IPv4 octets may carry leading
// zeros) and the net.IP predicates Kubernetes validation uses. Shared by networking and discovery.

/** A parsed address: 16 bytes; `is4` when it is IPv4 or IPv4-mapped IPv6 (Go's To4() != nil). */
export interface ParsedIP {
  bytes: number[];
  is4: boolean;
}

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) {
    return null;
  }
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) {
      return null;
    }
    const n = Number(p);
    if (n > 255) {
      return null;
    }
    out.push(n);
  }
  return out;
}

function parseGroups(s: string): number[] | null {
  if (s === '') {
    return [];
  }
  const out: number[] = [];
  const parts = s.split(':');
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (!v4) {
        return null;
      }
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      return null;
    }
  }
  return out;
}

function parseV6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) {
    return null;
  }
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) {
    return null;
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) {
    return null;
  }
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Parses an IPv4 or IPv6 address, or returns null. */
export function parseIP(s: string): ParsedIP | null {
  const v4 = parseV4(s);
  if (v4) {
    return { bytes: [...V4_PREFIX, ...v4], is4: true };
  }
  if (!s.includes(':')) {
    return null;
  }
  const v6 = parseV6(s);
  if (!v6) {
    return null;
  }
  return { bytes: v6, is4: V4_PREFIX.every((b, i) => v6[i] === b) };
}

const v4Part = (ip: ParsedIP): number[] => ip.bytes.slice(12);

/** net.IP.IsUnspecified. */
export function isUnspecified(ip: ParsedIP): boolean {
  return ip.is4 ? v4Part(ip).every((b) => b === 0) : ip.bytes.every((b) => b === 0);
}

/** net.IP.IsLoopback. */
export function isLoopback(ip: ParsedIP): boolean {
  return ip.is4 ? ip.bytes[12] === 127 : ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}

/** net.IP.IsLinkLocalUnicast. */
export function isLinkLocalUnicast(ip: ParsedIP): boolean {
  if (ip.is4) {
    return ip.bytes[12] === 169 && ip.bytes[13] === 254;
  }
  return ip.bytes[0] === 0xfe && ((ip.bytes[1] ?? 0) & 0xc0) === 0x80;
}

/** net.IP.IsLinkLocalMulticast. */
export function isLinkLocalMulticast(ip: ParsedIP): boolean {
  if (ip.is4) {
    return ip.bytes[12] === 224 && ip.bytes[13] === 0 && ip.bytes[14] === 0;
  }
  return ip.bytes[0] === 0xff && ((ip.bytes[1] ?? 0) & 0x0f) === 0x02;
}
