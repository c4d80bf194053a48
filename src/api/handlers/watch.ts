// Watch over HTTP: a chunked stream of JSON events (Tables when asked), bookmarks, timeouts,
// and dropping watchers that cannot keep up (they re-list, as upstream's slow watchers do).
import type { KubeObject, WatchEvent } from '../../apis/meta.js';
import { responseShape } from '../http/negotiate.js';
import { fromStorage } from '../rest/convert.js';
import { validateWatchOptions, watchObjects } from '../rest/watch.js';
import { partialMetadata, toTable } from '../table.js';
import type { HandlerContext } from './context.js';
import { includeObject, listOptions } from './resource.js';

/** Buffered bytes beyond which a watcher is considered stuck and is closed. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Watch settings and the per-event encoding memo shared by every watcher of a server. */
export interface WatchSettings {
  bookmarkIntervalMs: number;
  /**
   * Encoded JSON lines per stored object, keyed by event type and served version: N watchers of
   * one event serialise it once (as upstream's cacher does), not N times on the write path.
   */
  encodings: WeakMap<KubeObject, Map<string, string>>;
}

/** The JSON watch line for a stored object as served in scope's version, memoised. */
function jsonLine(ctx: HandlerContext, event: WatchEvent): string {
  const { scope } = ctx;
  const key = `${event.type}:${scope.rt.group}/${scope.version.version}`;
  let perObject = ctx.watch.encodings.get(event.object);
  if (!perObject) {
    perObject = new Map();
    ctx.watch.encodings.set(event.object, perObject);
  }
  let line = perObject.get(key);
  if (line === undefined) {
    line = `${JSON.stringify({ type: event.type, object: fromStorage(scope.rt, scope.version, event.object) })}\n`;
    perObject.set(key, line);
  }
  return line;
}

export function serveWatch(ctx: HandlerContext): Promise<void> {
  const { res, scope, query } = ctx;
  const shape = responseShape(ctx.req.headers.accept);
  const include = includeObject(ctx);
  let sentHeaders = false;
  const encode = (event: WatchEvent): unknown => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') {
      return event.object;
    }
    if (shape === 'table') {
      const table = toTable(
        scope.rt,
        [event.object],
        { resourceVersion: event.object.metadata.resourceVersion ?? '' },
        {
          includeObject: include,
          noHeaders: sentHeaders,
          now: ctx.now(),
          served: (o) => fromStorage(scope.rt, scope.version, o),
        },
      );
      sentHeaders = true;
      return table;
    }
    if (shape === 'metadata') {
      return partialMetadata(event.object);
    }
    return fromStorage(scope.rt, scope.version, event.object);
  };

  const opts = listOptions(query);
  const watchOpts = {
    ...(query.get('resourceVersion') !== null
      ? { resourceVersion: query.get('resourceVersion') ?? '' }
      : {}),
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
  };
  validateWatchOptions(scope, watchOpts);
  return new Promise<void>((resolve) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const live: { handle?: { cancel(): void } } = {};
    const finish = (): void => {
      if (finished) {
        return;
      }
      finished = true;
      live.handle?.cancel();
      timers.forEach((t) => clearTimeout(t));
      ctx.shutdown.removeEventListener('abort', finish);
      if (!res.writableEnded) {
        res.end();
      }
      resolve();
    };
    const write = (event: WatchEvent): void => {
      if (finished) {
        return;
      }
      const isObjectEvent = event.type !== 'ERROR' && event.type !== 'BOOKMARK';
      res.write(
        shape === 'json' && isObjectEvent
          ? jsonLine(ctx, event)
          : `${JSON.stringify({ type: event.type, object: encode(event) })}\n`,
      );
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        finish();
      }
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    // Without an early flush kubectl waits for the first event before it sees the 200.
    res.flushHeaders();
    res.on('close', finish);
    ctx.shutdown.addEventListener('abort', finish);
    const handle = watchObjects(ctx.svc, scope, watchOpts, write);
    live.handle = handle;
    if (handle.ended) {
      finish();
      return;
    }
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    if (timeout > 0) {
      timers.push(setTimeout(finish, timeout * 1000));
    }
    if (query.get('allowWatchBookmarks') === 'true') {
      const tick = (): void => {
        const bookmark: KubeObject = {
          kind: scope.rt.kind,
          apiVersion: scope.rt.group
            ? `${scope.rt.group}/${scope.version.version}`
            : scope.version.version,
          metadata: { resourceVersion: String(ctx.svc.deps.store.revision) },
        };
        write({ type: 'BOOKMARK', object: bookmark });
        timers.push(setTimeout(tick, ctx.watch.bookmarkIntervalMs));
      };
      timers.push(setTimeout(tick, ctx.watch.bookmarkIntervalMs));
    }
  });
}
