// Per-Service and per-pod traffic counters kept in memory: requests, responses by class,
// in-flight concurrency and its time integral, latency histograms, retries, backend failures
// and TCP connections. ProxyStats is the read side the autoscaler uses.
import { counterChange, isEmptyChange } from './counters.js';

export type CodeClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
export const CODE_CLASSES: readonly CodeClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** Prometheus' default buckets, in seconds. */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export interface TrafficCounters {
  /** Completed HTTP requests. */
  requests: number;
  responses: Record<CodeClass, number>;
  /** Requests (HTTP) or connections (TCP) open now. */
  inFlight: number;
  /** The integral of inFlight over time: its rate over a window is the mean concurrency. */
  concurrencySeconds: number;
  /** Per-bucket (not cumulative) counts for LATENCY_BOUNDS_SECONDS, plus one for +Inf. */
  latencyBuckets: number[];
  latencySumSeconds: number;
  /** Attempts that failed and were retried on another backend (Service series only). */
  retries: number;
  /** Attempts on this backend that failed before a response: refused, reset, timed out. */
  failures: number;
  /** TCP connections established (Service proxy). */
  connections: number;
}

export interface SeriesSnapshot {
  namespace: string;
  service: string;
  /** '' for the Service as a whole. */
  pod: string;
  counters: TrafficCounters;
}

/** What the autoscaler reads: cumulative counters plus current in-flight, per Service and pod. */
export interface ProxyStats {
  service(namespace: string, name: string): TrafficCounters | undefined;
  /** The pods behind a Service that have seen traffic, by pod name. */
  pods(namespace: string, service: string): Map<string, TrafficCounters>;
  /** Every series: Services (pod '') and (Service, pod) pairs. */
  series(): SeriesSnapshot[];
}

/** The response class of a status code. */
export function codeClass(status: number): CodeClass {
  const c = Math.floor(status / 100);
  return c <= 1 ? '1xx' : c === 2 ? '2xx' : c === 3 ? '3xx' : c === 4 ? '4xx' : '5xx';
}

/** All zero. */
export function emptyCounters(): TrafficCounters {
  return {
    requests: 0,
    responses: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    inFlight: 0,
    concurrencySeconds: 0,
    latencyBuckets: new Array<number>(LATENCY_BOUNDS_SECONDS.length + 1).fill(0),
    latencySumSeconds: 0,
    retries: 0,
    failures: 0,
    connections: 0,
  };
}

class Series {
  readonly counters = emptyCounters();
  lastActivityMs: number;
  /** The counters as changes() last reported them. */
  reported: TrafficCounters | undefined;

  constructor(
    readonly namespace: string,
    readonly service: string,
    readonly pod: string,
    public lastChangeMs: number,
  ) {
    this.lastActivityMs = lastChangeMs;
  }

  /** Changes in-flight by delta, integrating the time spent at the old level first. */
  flight(delta: number, nowMs: number): void {
    this.integrate(nowMs);
    this.counters.inFlight += delta;
    this.lastActivityMs = nowMs;
  }

  integrate(nowMs: number): void {
    if (nowMs > this.lastChangeMs) {
      const c = this.counters;
      c.concurrencySeconds += (c.inFlight * (nowMs - this.lastChangeMs)) / 1000;
      this.lastChangeMs = nowMs;
    }
  }

  observe(status: number, seconds: number): void {
    const c = this.counters;
    c.requests++;
    c.responses[codeClass(status)]++;
    let i = LATENCY_BOUNDS_SECONDS.findIndex((b) => seconds <= b);
    if (i < 0) {
      i = LATENCY_BOUNDS_SECONDS.length;
    }
    c.latencyBuckets[i] = (c.latencyBuckets[i] ?? 0) + 1;
    c.latencySumSeconds += seconds;
  }
}

/** The Service a request or connection is for. */
export interface TrafficScope {
  readonly namespace: string;
  readonly service: string;
}

/** The write side: the proxies record into it; ProxyStats reads from it. */
export class TrafficStats implements ProxyStats {
  /** namespace → service → pod ('' for the Service) → series; no key string built per request. */
  private readonly all = new Map<string, Map<string, Map<string, Series>>>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  private get(scope: TrafficScope, pod: string): Series {
    let services = this.all.get(scope.namespace);
    if (!services) {
      services = new Map();
      this.all.set(scope.namespace, services);
    }
    let pods = services.get(scope.service);
    if (!pods) {
      pods = new Map();
      services.set(scope.service, pods);
    }
    let s = pods.get(pod);
    if (!s) {
      s = new Series(scope.namespace, scope.service, pod, this.nowMs());
      pods.set(pod, s);
    }
    return s;
  }

  private *every(): Generator<Series> {
    for (const services of this.all.values()) {
      for (const pods of services.values()) {
        yield* pods.values();
      }
    }
  }

  /** A request (or connection) arrived for a Service. */
  begin(scope: TrafficScope): void {
    this.get(scope, '').flight(1, this.nowMs());
  }

  /** An attempt of the request went to a pod, by name ('-' when the endpoint names none). */
  beginAttempt(scope: TrafficScope, pod: string): void {
    this.get(scope, pod).flight(1, this.nowMs());
  }

  /** The attempt on pod failed before a response; retried says whether another one follows. */
  failAttempt(scope: TrafficScope, pod: string, retried: boolean): void {
    const s = this.get(scope, pod);
    s.flight(-1, this.nowMs());
    s.counters.failures++;
    if (retried) {
      this.get(scope, '').counters.retries++;
    }
  }

  /** The client went away during an attempt: it ends without counting as a backend failure. */
  abandonAttempt(scope: TrafficScope, pod: string): void {
    this.get(scope, pod).flight(-1, this.nowMs());
  }

  /** The request ended with status; pod is the backend that answered (undefined: none did). */
  end(scope: TrafficScope, status: number, seconds: number, pod?: string): void {
    const now = this.nowMs();
    const svc = this.get(scope, '');
    svc.flight(-1, now);
    svc.observe(status, seconds);
    if (pod !== undefined) {
      const p = this.get(scope, pod);
      p.flight(-1, now);
      p.observe(status, seconds);
    }
  }

  /** A TCP connection to pod was established (after beginAttempt). */
  connected(scope: TrafficScope, pod: string): void {
    this.get(scope, pod).counters.connections++;
    this.get(scope, '').counters.connections++;
  }

  /** A TCP connection closed; pod is the backend it was spliced to (undefined: none). */
  closed(scope: TrafficScope, pod?: string): void {
    const now = this.nowMs();
    this.get(scope, '').flight(-1, now);
    if (pod !== undefined) {
      this.get(scope, pod).flight(-1, now);
    }
  }

  service(namespace: string, name: string): TrafficCounters | undefined {
    return this.read(this.all.get(namespace)?.get(name)?.get(''));
  }

  pods(namespace: string, service: string): Map<string, TrafficCounters> {
    const out = new Map<string, TrafficCounters>();
    for (const s of this.all.get(namespace)?.get(service)?.values() ?? []) {
      if (s.pod !== '') {
        out.set(s.pod, this.snapshot(s));
      }
    }
    return out;
  }

  series(): SeriesSnapshot[] {
    return [...this.every()].map((s) => ({
      namespace: s.namespace,
      service: s.service,
      pod: s.pod,
      counters: this.snapshot(s),
    }));
  }

  /**
   * What changed in every series since the previous call (an ingress worker's report): counters
   * as differences, inFlight as the level now. Series with no change and nothing in flight, or
   * nothing in flight at the last report either, are left out.
   */
  changes(): SeriesSnapshot[] {
    const out: SeriesSnapshot[] = [];
    for (const s of this.every()) {
      s.integrate(this.nowMs());
      const before = s.reported ?? emptyCounters();
      const change = counterChange(s.counters, before);
      if (isEmptyChange(change) && change.inFlight === before.inFlight) {
        continue;
      }
      s.reported = structuredClone(s.counters);
      out.push({ namespace: s.namespace, service: s.service, pod: s.pod, counters: change });
    }
    return out;
  }

  /** Drops pod series idle (nothing in flight, no change) for longer than idleMs. */
  prune(idleMs: number): void {
    const now = this.nowMs();
    for (const s of [...this.every()]) {
      if (s.pod !== '' && s.counters.inFlight === 0 && now - s.lastActivityMs > idleMs) {
        this.all.get(s.namespace)?.get(s.service)?.delete(s.pod);
      }
    }
  }

  private read(s: Series | undefined): TrafficCounters | undefined {
    return s ? this.snapshot(s) : undefined;
  }

  private snapshot(s: Series): TrafficCounters {
    s.integrate(this.nowMs());
    return structuredClone(s.counters);
  }
}
