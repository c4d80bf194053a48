// Query counters of the cluster DNS (CoreDNS's requests and responses by rcode, and forwards).

export interface DnsStatsSnapshot {
  requests: { udp: number; tcp: number };
  responses: Record<string, number>;
  forwarded: number;
}

export class DnsStats {
  private readonly requests = { udp: 0, tcp: 0 };
  private readonly responses = new Map<string, number>();
  private forwards = 0;

  request(transport: 'udp' | 'tcp'): void {
    this.requests[transport]++;
  }

  response(rcode: string): void {
    this.responses.set(rcode, (this.responses.get(rcode) ?? 0) + 1);
  }

  forwarded(): void {
    this.forwards++;
  }

  snapshot(): DnsStatsSnapshot {
    return {
      requests: { ...this.requests },
      responses: Object.fromEntries(this.responses),
      forwarded: this.forwards,
    };
  }
}
