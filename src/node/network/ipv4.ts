// IPv4 address and CIDR arithmetic for pod networking: parsing, containment, overlap and the
// special addresses (network, gateway, broadcast) of a pod range. Pure; no I/O.

/** An IPv4 range: its network address as an unsigned 32-bit integer and its prefix length. */
export interface Ipv4Cidr {
  base: number;
  bits: number;
}

/** The integer of a dotted quad, or undefined when it is not one. */
export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) {
      return undefined;
    }
    n = n * 256 + Number(p);
  }
  return n;
}

/** The dotted quad of an unsigned 32-bit integer. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Parses `10.244.0.0/16` (host bits are cleared); undefined when it is not an IPv4 CIDR. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
  const base = m?.[1] === undefined ? undefined : ipToInt(m[1]);
  const bits = Number(m?.[2]);
  if (base === undefined || !Number.isInteger(bits) || bits > 32) {
    return undefined;
  }
  return { base: (base & maskOf(bits)) >>> 0, bits };
}

/** `a.b.c.d/n` */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${intToIp(cidr.base)}/${cidr.bits}`;
}

/** How many addresses the range spans, network and broadcast included. */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.bits);
}

/** Whether the address lies in the range (network and broadcast included). */
export function cidrContains(cidr: Ipv4Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  return n !== undefined && n >= cidr.base && n < cidr.base + cidrSize(cidr);
}

/** Whether two ranges share any address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.base + cidrSize(a);
  const bEnd = b.base + cidrSize(b);
  return a.base < bEnd && b.base < aEnd;
}

/** The n-th address of the range (0 = the network address, 1 = the gateway by convention). */
export function addressAt(cidr: Ipv4Cidr, offset: number): string {
  return intToIp(cidr.base + offset);
}
