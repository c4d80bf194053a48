// Refuses a pod or Service CIDR that overlaps a network the node already has: its interfaces'
// addresses and its routes (`ip -j addr`, `ip -j route`), minus this instance's own interfaces.
import { cidrsOverlap, formatCidr, parseCidr } from './ipv4.js';
import type { Ipv4Cidr } from './ipv4.js';

/** A network of the node and where it was seen. */
export interface NodeNetwork {
  cidr: Ipv4Cidr;
  /** "address 192.168.1.5/24 on eth0" or "route 10.0.0.0/8 via eth1". */
  source: string;
}

interface AddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
}
interface IpAddrEntry {
  ifname?: string;
  addr_info?: AddrInfo[];
}
interface IpRouteEntry {
  dst?: string;
  dev?: string;
}

/** The IPv4 networks in `ip -j addr` and `ip -j route` output, skipping `ownInterfaces`. */
export function nodeNetworks(
  addrs: IpAddrEntry[],
  routes: IpRouteEntry[],
  ownInterfaces: Set<string>,
): NodeNetwork[] {
  return [...addressNetworks(addrs, ownInterfaces), ...routeNetworks(routes, ownInterfaces)];
}

function addressNetworks(addrs: IpAddrEntry[], ownInterfaces: Set<string>): NodeNetwork[] {
  const out: NodeNetwork[] = [];
  for (const link of addrs) {
    if (ownInterfaces.has(link.ifname ?? '')) {
      continue;
    }
    for (const a of link.addr_info ?? []) {
      const cidr = a.family === 'inet' ? parseCidr(`${a.local}/${a.prefixlen}`) : undefined;
      if (cidr) {
        out.push({ cidr, source: `address ${a.local}/${a.prefixlen} on ${link.ifname}` });
      }
    }
  }
  return out;
}

function routeNetworks(routes: IpRouteEntry[], ownInterfaces: Set<string>): NodeNetwork[] {
  const out: NodeNetwork[] = [];
  for (const r of routes) {
    // The default route covers everything; it is how the node reaches the world, not a network.
    if (!r.dst || r.dst === 'default' || ownInterfaces.has(r.dev ?? '')) {
      continue;
    }
    const cidr = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
    if (cidr) {
      out.push({ cidr, source: `route ${r.dst} dev ${r.dev}` });
    }
  }
  return out;
}

/** The first node network `cidr` overlaps, as a message naming both; undefined when none does. */
export function overlapProblem(
  flag: string,
  cidr: Ipv4Cidr,
  networks: NodeNetwork[],
): string | undefined {
  // Loopback (127/8) is on every node; only a range inside it would clash, and those are refused
  // separately in isolated mode.
  const hit = networks.find((n) => cidrsOverlap(cidr, n.cidr) && n.cidr.base >>> 24 !== 127);
  if (!hit) {
    return undefined;
  }
  return `${flag} ${formatCidr(cidr)} overlaps the node's network ${formatCidr(hit.cidr)} (${hit.source}); choose a range that does not`;
}
