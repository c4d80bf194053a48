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

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  at: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
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
    this.chain = this.chain
      .then(() => this.write(obj, type, reason, message))
      .catch((err: unknown) => this.log?.warn({ err, reason }, 'could not record event'));
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
    const key = [meta.uid, type, reason, message].join('\u0000');
    const now = this.now();
    const previous = this.seen.get(key);
    if (previous && now.getTime() - previous.at < AGGREGATION_WINDOW_MS) {
      previous.count++;
      previous.at = now.getTime();
      await this.client.patch(EVENTS, previous.namespace, previous.name, 'merge', {
        count: previous.count,
        lastTimestamp: formatTime(now),
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
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) {
        this.seen.delete(oldest);
      }
    }
  }
}
