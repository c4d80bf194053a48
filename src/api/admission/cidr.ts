// IPv4 CIDR arithmetic for the service range.

function toInt(ip: string): number | undefined {
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

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** kube-dns's ClusterIP is the 10th address of the service range, as kubeadm makes it. */
export const CLUSTER_DNS_OFFSET = 10;

export class Cidr {
  private constructor(
    readonly base: number,
    readonly bits: number,
  ) {}

  /** Parses `10.96.0.0/12`; throws on anything else. */
  static parse(text: string): Cidr {
    const [ip, bitsText] = text.split('/');
    const base = ip ? toInt(ip) : undefined;
    const bits = Number(bitsText);
    if (base === undefined || !Number.isInteger(bits) || bits < 1 || bits > 30) {
      throw new Error(`invalid CIDR "${text}": expected an IPv4 range such as 10.96.0.0/12`);
    }
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return new Cidr((base & mask) >>> 0, bits);
  }

  get size(): number {
    return 2 ** (32 - this.bits);
  }

  contains(ip: string): boolean {
    const n = toInt(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  /** The n-th address of the range (1 = first usable). */
  at(offset: number): string {
    return toIp(this.base + offset);
  }

  /**
   * The lowest usable address not in used, skipping .1 (the `kubernetes` Service's) and .10
   * (kube-dns's, reserved even while kube-dns does not exist, e.g. with --no-cluster-dns).
   */
  firstFree(used: Set<string>): string | undefined {
    for (let i = 2; i < this.size - 1; i++) {
      if (i === CLUSTER_DNS_OFFSET) {
        continue;
      }
      const ip = toIp(this.base + i);
      if (!used.has(ip)) {
        return ip;
      }
    }
    return undefined;
  }

  toString(): string {
    return `${toIp(this.base)}/${this.bits}`;
  }
}
