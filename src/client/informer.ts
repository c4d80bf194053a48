// Informers: list + watch one resource into a shared cache, resume watches from the last
// resourceVersion, re-list on 410 Gone, and tell handlers about adds, updates and deletes.
import type { KubeObject, WatchEvent } from '../apis/meta.js';
import type { Client, ResourceRef, WatchHandle } from './client.js';

export interface EventHandler {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Delay before re-listing after a failure. */
  retryDelayMs?: number;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key workqueues carry. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Read access to an informer's cache. Objects are shared: never mutate them. */
export interface Lister {
  get(namespace: string, name: string): KubeObject | undefined;
  list(namespace?: string): KubeObject[];
}

export class Informer implements Lister {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: EventHandler[] = [];
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private watch: WatchHandle | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: Client,
    readonly ref: ResourceRef,
    private readonly options: InformerOptions = {},
  ) {}

  addEventHandler(handler: EventHandler): void {
    this.handlers.push(handler);
    // Late handlers see the current state as adds, as client-go's shared informers do.
    if (this.synced) {
      for (const obj of this.cache.values()) {
        handler.onAdd?.(obj);
      }
    }
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    return this.synced
      ? Promise.resolve()
      : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.cache.values()) {
      if (!namespace || obj.metadata.namespace === namespace) {
        out.push(obj);
      }
    }
    return out;
  }

  /** Runs until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.stop(), { once: true });
    await this.relist();
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }

  private stop(): void {
    this.stopped = true;
    this.watch?.stop();
    if (this.retry) {
      clearTimeout(this.retry);
    }
  }

  private async relist(): Promise<void> {
    if (this.stopped) {
      return;
    }
    try {
      const list = await this.client.list(this.ref, this.listOptions());
      this.replace(list.items);
      this.resourceVersion = list.metadata.resourceVersion ?? '';
      this.markSynced();
      this.startWatch();
    } catch {
      this.scheduleRelist();
    }
  }

  private scheduleRelist(): void {
    if (!this.stopped) {
      this.retry = setTimeout(() => void this.relist(), this.options.retryDelayMs ?? 1000);
      this.retry.unref();
    }
  }

  private listOptions(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const { namespace, labelSelector, fieldSelector } = this.options;
    return {
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    };
  }

  private startWatch(): void {
    if (this.stopped) {
      return;
    }
    let gone = false;
    this.watch = this.client.watch(
      this.ref,
      { ...this.listOptions(), resourceVersion: this.resourceVersion },
      {
        onEvent: (e) => {
          if (e.type === 'ERROR') {
            gone = true;
            return;
          }
          this.apply(e);
        },
        onClose: (error) => {
          // 410 Gone means our resourceVersion is too old, and any other error may mean the
          // server is away: list again after a delay. A clean end of the stream: resume at once.
          if (gone || error !== undefined) {
            this.scheduleRelist();
          } else {
            this.startWatch();
          }
        },
      },
    );
  }

  private apply(e: WatchEvent): void {
    const obj = e.object;
    this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion;
    if (e.type === 'BOOKMARK') {
      return;
    }
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      this.handlers.forEach((h) => h.onDelete?.(obj));
      return;
    }
    this.cache.set(key, obj);
    if (old) {
      this.handlers.forEach((h) => h.onUpdate?.(old, obj));
    } else {
      this.handlers.forEach((h) => h.onAdd?.(obj));
    }
  }

  private replace(items: KubeObject[]): void {
    const fresh = new Map(items.map((o) => [keyOf(o), o]));
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.handlers.forEach((h) => h.onDelete?.(old));
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (old) {
        this.handlers.forEach((h) => h.onUpdate?.(old, obj));
      } else {
        this.handlers.forEach((h) => h.onAdd?.(obj));
      }
    }
  }

  private markSynced(): void {
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.forEach((w) => w());
      this.syncWaiters = [];
    }
  }
}

/** One informer per resource (and options), shared by every loop that asks for it. */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer>();
  private running: { signal: AbortSignal; started: Promise<void>[] } | undefined;

  constructor(private readonly client: Client) {}

  informerFor(ref: ResourceRef, options: InformerOptions = {}): Informer {
    const id = JSON.stringify([ref, options]);
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new Informer(this.client, ref, options);
      this.informers.set(id, informer);
      // Informers asked for after start() start at once, as client-go's factory does.
      if (this.running && !this.running.signal.aborted) {
        this.running.started.push(informer.start(this.running.signal));
      }
    }
    return informer;
  }

  /** Starts every informer (and any created later); resolves when signal aborts and all stopped. */
  async start(signal: AbortSignal): Promise<void> {
    const started = [...this.informers.values()].map((i) => i.start(signal));
    this.running = { signal, started };
    await new Promise<void>((resolve) => {
      if (signal.aborted) {
        resolve();
      }
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.all(this.running.started);
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }
}
