// Pod IP address management (host-local IPAM's job): the lowest free address of the pod CIDR,
// never the network, gateway or broadcast address. Which pod holds which address is recorded in
// the pod's directory by the caller, so a restarted agent re-reserves what adopted pods hold.
import { addressAt, cidrContains, cidrSize, formatCidr, intToIp, ipToInt } from './ipv4.js';
import type { Ipv4Cidr } from './ipv4.js';

/** No address is left: the pod waits (FailedCreatePodSandBox) until one is released. */
export class IpRangeExhaustedError extends Error {
  readonly code = 'IpRangeExhausted';

  constructor(readonly range: string) {
    super(`no IP addresses available in range set: ${range}`);
    this.name = 'IpRangeExhaustedError';
  }
}

/** The addresses of one pod CIDR and which of them are taken. */
export class IpPool {
  private readonly used = new Map<number, string>();

  constructor(readonly cidr: Ipv4Cidr) {
    if (cidrSize(cidr) < 4) {
      throw new Error(`pod CIDR ${formatCidr(cidr)} is too small: it needs a /30 or larger`);
    }
  }

  /** The bridge's address: the first of the range. */
  get gateway(): string {
    return addressAt(this.cidr, 1);
  }

  /** First and last address pods can get, as host-local prints a range ("a-b"). */
  get rangeText(): string {
    return `${addressAt(this.cidr, 2)}-${addressAt(this.cidr, cidrSize(this.cidr) - 2)}`;
  }

  /** Marks an address taken by `owner` (an adopted pod); false when it is not a pod address. */
  reserve(ip: string, owner: string): boolean {
    const n = ipToInt(ip);
    if (n === undefined || !this.isPodAddress(n)) {
      return false;
    }
    this.used.set(n, owner);
    return true;
  }

  /** The address `owner` holds, if any. */
  addressOf(owner: string): string | undefined {
    for (const [n, o] of this.used) {
      if (o === owner) {
        return intToIp(n);
      }
    }
    return undefined;
  }

  /** The owner's address, or the lowest free one; throws IpRangeExhaustedError when none is. */
  allocate(owner: string): string {
    const held = this.addressOf(owner);
    if (held) {
      return held;
    }
    const end = this.cidr.base + cidrSize(this.cidr) - 1;
    for (let n = this.cidr.base + 2; n < end; n++) {
      if (!this.used.has(n)) {
        this.used.set(n, owner);
        return intToIp(n);
      }
    }
    throw new IpRangeExhaustedError(this.rangeText);
  }

  /** Frees whatever `owner` holds. */
  release(owner: string): void {
    for (const [n, o] of this.used) {
      if (o === owner) {
        this.used.delete(n);
      }
    }
  }

  /** How many addresses are taken. */
  get size(): number {
    return this.used.size;
  }

  private isPodAddress(n: number): boolean {
    const last = this.cidr.base + cidrSize(this.cidr) - 1;
    return cidrContains(this.cidr, n) && n > this.cidr.base + 1 && n < last;
  }
}
