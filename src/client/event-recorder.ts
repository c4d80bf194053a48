// Records core/v1 Events about objects, aggregating repeats (same object, type, reason and
// message within 10 minutes) into one Event with a growing count, as client-go's recorder does.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../apis/meta.js';
import { formatTime } from '../apis/meta.js';
import type { Logger } from 'pino';
import type { Client } from './client.js';
import { EVENTS } from './resources.js';

export type EventType = 'Normal' | 'Warning';

const AGGREGATION_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;
/** Upstream's spam filter: a burst of 25 events per object, then one per 5 minutes. */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 5 * 60_000;
/** Upstream's aggregator: from the 10th distinct message for the same reason, combine them. */
const SIMILAR_EVENTS_THRESHOLD = 10;
const COMBINED_PREFIX = '(combined from similar events): ';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

interface Similar {
  messages: Set<string>;
  since: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  at: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly similar = new Map<string, Similar>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly log?: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly host = 'kubeproc',
  ) {}

  /** Records an event; never throws (events are best effort, as upstream). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (!this.allow(obj, type)) {
      this.log?.debug({ reason, object: obj.metadata.name }, 'event dropped by the spam filter');
      return;
    }
    const combined = this.combine(obj, type, reason, message);
    this.chain = this.chain
      .then(() => this.write(obj, type, reason, combined))
      .catch((err: unknown) => this.log?.warn({ err, reason }, 'could not record event'));
  }

  /** Token bucket per object and type (upstream EventSourceObjectSpamFilter). */
  private allow(obj: KubeObject, type: EventType): boolean {
    const key = [obj.metadata.uid ?? obj.metadata.name, type].join('\u0000');
    const now = this.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: SPAM_BURST, refilledAt: now };
    const refill = Math.floor((now - bucket.refilledAt) / SPAM_REFILL_MS);
    if (refill > 0) {
      bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + refill);
      bucket.refilledAt += refill * SPAM_REFILL_MS;
    }
    this.buckets.set(key, bucket);
    forgetOldest(this.buckets);
    if (bucket.tokens <= 0) {
      return false;
    }
    bucket.tokens--;
    return true;
  }

  /** Many different messages for one reason become one combined event (upstream EventAggregator). */
  private combine(obj: KubeObject, type: EventType, reason: string, message: string): string {
    const key = [obj.metadata.uid ?? obj.metadata.name, type, reason].join('\u0000');
    const now = this.now().getTime();
    let entry = this.similar.get(key);
    if (!entry || now - entry.since > AGGREGATION_WINDOW_MS) {
      entry = { messages: new Set(), since: now };
      this.similar.set(key, entry);
      forgetOldest(this.similar);
    }
    entry.messages.add(message);
    return entry.messages.size >= SIMILAR_EVENTS_THRESHOLD ? COMBINED_PREFIX + message : message;
  }

  /** Resolves when every event recorded so far has been written (tests, shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    // Combined events share one Event whose message follows the latest one.
    const isCombined = message.startsWith(COMBINED_PREFIX);
    const key = [meta.uid, type, reason, isCombined ? COMBINED_PREFIX : message].join('\u0000');
    const now = this.now();
    const previous = this.seen.get(key);
    if (previous && now.getTime() - previous.at < AGGREGATION_WINDOW_MS) {
      previous.count++;
      previous.at = now.getTime();
      await this.client.patch(EVENTS, previous.namespace, previous.name, 'merge', {
        count: previous.count,
        lastTimestamp: formatTime(now),
        ...(isCombined ? { message } : {}),
      });
      return;
    }
    const name = `${meta.name ?? 'unknown'}.${now.getTime().toString(16)}${randomBytes(2).toString('hex')}`;
    const event: KubeObject = {
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: meta.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component, host: this.host },
      firstTimestamp: formatTime(now),
      lastTimestamp: formatTime(now),
      eventTime: null,
      count: 1,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    await this.client.create(EVENTS, event);
    this.seen.set(key, {
      name,
      namespace,
      count: 1,
      firstTimestamp: formatTime(now),
      at: now.getTime(),
    });
    forgetOldest(this.seen);
  }
}

/** Bounds a memo map: drops the oldest entry beyond MAX_REMEMBERED. */
function forgetOldest(map: Map<string, unknown>): void {
  if (map.size > MAX_REMEMBERED) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) {
      map.delete(oldest);
    }
  }
}
