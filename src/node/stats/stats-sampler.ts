// kubeproc's cAdvisor: every resolutionMs it reads each container's cgroup (or, without one, its
// process tree from /proc) and the node, keeps a few readings each for CPU rates, forgets
// containers that are gone, and serves container, pod, node and /stats/summary views.
import type { Logger } from 'pino';
import type { ContainerCgroup } from '../runtime/cgroups.js';
import { readCgroup } from './cgroup-reading.js';
import { readNode } from './node-reading.js';
import { readProcSnapshot, readProcTree } from './proc-tree-reading.js';
import type { ProcSnapshot } from './proc-tree-reading.js';
import { podSample, usageSample } from './samples.js';
import type { ContainerStatsSample, PodStatsSample, StatsSource, UsageSample } from './samples.js';
import { buildSummary } from './summary.js';
import type { StatsSummary } from './summary-types.js';
import { appendReading, historyRate } from './usage-rate.js';
import type { Reading, UsageRate } from './usage-rate.js';

export type { ContainerStatsSample, MemorySample, PodStatsSample, UsageSample } from './samples.js';
export type { StatsSummary } from './summary-types.js';
export type { UsageRate } from './usage-rate.js';

/** A running container to sample: by its cgroup, else by the root pid of its process tree. */
export interface SampledContainer {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  /** When this run started; a new value (a restart) starts a new CPU history. */
  startTime: Date;
  cgroup?: ContainerCgroup;
  /** Root pid for the /proc fallback when there is no cgroup. */
  pid?: number;
  /** The pod's status.startTime; defaults to its earliest container start. */
  podStartTime?: Date;
}

/** Options of a StatsSampler. */
export interface StatsSamplerOptions {
  resolutionMs: number;
  /** The containers running now; asked at the start of every round. */
  list(): SampledContainer[];
  clock?: () => Date;
  /** Readings kept per container and for the node (at least 2, the default). */
  windowSamples?: number;
  /** Containers read at once (default 16). */
  concurrency?: number;
  log?: Logger;
}

interface Tracked {
  meta: SampledContainer;
  source: StatsSource;
  history: Reading[];
}

const key = (podUid: string, container: string): string => `${podUid}/${container}`;

/** Samples container and node CPU and memory on a timer and serves the latest figures. */
export class StatsSampler {
  private readonly containers = new Map<string, Tracked>();
  private nodeHistory: Reading[] = [];
  private round: Promise<void> = Promise.resolve();
  private readonly now: () => Date;
  private readonly windowSamples: number;

  constructor(private readonly opts: StatsSamplerOptions) {
    this.now = opts.clock ?? (() => new Date());
    this.windowSamples = Math.max(2, opts.windowSamples ?? 2);
  }

  /** Samples now and then every resolutionMs until the signal aborts; the timer is unref'd. */
  start(signal: AbortSignal): void {
    let timer: NodeJS.Timeout | undefined;
    const tick = (): void => {
      const startedMs = Date.now();
      void this.sampleNow().then(() => {
        if (!signal.aborted) {
          // Keep the cadence: the time a round took comes off the wait for the next.
          const waitMs = Math.max(0, this.opts.resolutionMs - (Date.now() - startedMs));
          timer = setTimeout(tick, waitMs);
          timer.unref();
        }
      });
    };
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    if (!signal.aborted) {
      tick();
    }
  }

  /** Takes one round of readings now (after any round in progress); never rejects. */
  sampleNow(): Promise<void> {
    // The catch keeps the chain alive: one failed round must not skip every later one.
    this.round = this.round
      .then(() => this.sampleRound())
      .catch((err: unknown) => this.opts.log?.warn({ err }, 'sampling container stats'));
    return this.round;
  }

  /** The latest sample of a container, or undefined before its first reading or once gone. */
  containerStats(podUid: string, container: string): ContainerStatsSample | undefined {
    const t = this.containers.get(key(podUid, container));
    return t ? this.containerSample(t) : undefined;
  }

  /** A container's CPU rate over every reading kept (windowSamples - 1 intervals). */
  containerWindowRate(podUid: string, container: string): UsageRate | undefined {
    const t = this.containers.get(key(podUid, container));
    return t ? historyRate(t.history) : undefined;
  }

  /** A pod's sample: the sum of its sampled containers. */
  podStats(podUid: string): PodStatsSample | undefined {
    return this.podFrom([...this.containers.values()].filter((t) => t.meta.podUid === podUid));
  }

  /** Every sampled pod. */
  allPods(): PodStatsSample[] {
    const byPod = new Map<string, Tracked[]>();
    for (const t of this.containers.values()) {
      byPod.set(t.meta.podUid, [...(byPod.get(t.meta.podUid) ?? []), t]);
    }
    return [...byPod.values()]
      .map((tracked) => this.podFrom(tracked))
      .filter((p): p is PodStatsSample => p !== undefined);
  }

  /** The node's sample from /proc (boot is its startTime). */
  nodeStats(): UsageSample | undefined {
    return usageSample(this.nodeHistory);
  }

  /** GET /stats/summary for this node. */
  summary(nodeName: string): StatsSummary {
    return buildSummary(nodeName, this.nodeStats(), this.allPods());
  }

  private containerSample(t: Tracked): ContainerStatsSample | undefined {
    const s = usageSample(t.history);
    const { namespace, pod, podUid, container } = t.meta;
    return s && { ...s, namespace, pod, podUid, container, source: t.source };
  }

  private podFrom(tracked: Tracked[]): PodStatsSample | undefined {
    const first = tracked[0]?.meta;
    if (!first) {
      return undefined;
    }
    const earliestMs = Math.min(...tracked.map((t) => t.meta.startTime.getTime()));
    const startTime =
      tracked.find((t) => t.meta.podStartTime)?.meta.podStartTime ?? new Date(earliestMs);
    const containers = tracked
      .map((t) => this.containerSample(t))
      .filter((c): c is ContainerStatsSample => c !== undefined);
    const { namespace, pod, podUid } = first;
    return podSample({ namespace, pod, podUid, startTime }, containers);
  }

  private async sampleRound(): Promise<void> {
    let list: SampledContainer[] = [];
    try {
      list = this.opts.list();
    } catch (err) {
      this.opts.log?.warn({ err }, 'listing containers to sample');
    }
    const node = readNode(this.now).catch((err: unknown) => {
      this.opts.log?.warn({ err }, 'reading node stats from /proc');
      return undefined;
    });
    const snapshot = list.some((c) => !c.cgroup && c.pid !== undefined)
      ? await readProcSnapshot(this.now).catch((err: unknown) => {
          this.opts.log?.warn({ err }, 'reading /proc');
          return undefined;
        })
      : undefined;
    const readings = await mapLimit(list, this.opts.concurrency ?? 16, (c) =>
      this.read(c, snapshot),
    );
    const seen = new Set<string>();
    list.forEach((meta, i) => {
      const k = key(meta.podUid, meta.container);
      const reading = readings[i];
      if (reading && !seen.has(k)) {
        seen.add(k);
        const prev = this.containers.get(k)?.history ?? [];
        const history = appendReading(prev, reading, this.windowSamples);
        this.containers.set(k, { meta, source: meta.cgroup ? 'cgroup' : 'proc', history });
      }
    });
    for (const k of this.containers.keys()) {
      if (!seen.has(k)) {
        this.containers.delete(k); // Gone (or unreadable): its history must not outlive it.
      }
    }
    const nodeReading = await node;
    if (nodeReading) {
      this.nodeHistory = appendReading(this.nodeHistory, nodeReading, this.windowSamples);
    }
  }

  private async read(
    c: SampledContainer,
    snapshot: ProcSnapshot | undefined,
  ): Promise<Reading | undefined> {
    try {
      if (c.cgroup) {
        return await readCgroup(c.cgroup, c.startTime, this.now);
      }
      return c.pid !== undefined && snapshot
        ? await readProcTree(snapshot, c.pid, c.startTime)
        : undefined;
    } catch (err) {
      // ENOENT: the cgroup was removed between list() and the read; anything else is news.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.opts.log?.warn({ err, pod: c.pod, container: c.container }, 'reading container stats');
      }
      return undefined;
    }
  }
}

/** Maps with at most `limit` calls in flight, keeping the order of `items`. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
