// A small list+watch cache over HTTP for one resource in one namespace, used by the observers
// and the FakeKubelet: objects by name, callbacks per event, waits on predicates, re-lists
// after a 410 or a closed stream.
import http from 'node:http';
import { call } from './client.js';
import { nowMs } from '../api/stats.js';

/** Watches `path` (a collection path such as /api/v1/namespaces/x/pods) and mirrors it. */
export class WatchCache {
  /** @param {{ url: string, path: string, onEvent?: (type, obj, old, t) => void }} opts */
  constructor({ url, path, onEvent }) {
    this.url = url;
    this.path = path;
    this.listeners = new Set(onEvent ? [onEvent] : []);
    this.objects = new Map();
    this.waiters = new Set();
    this.events = 0;
    this.relists = 0;
    this.stopped = false;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  }

  /** Lists, then keeps a watch open until stop(). */
  async start() {
    await this.#list();
    this.#watch();
  }

  stop() {
    this.stopped = true;
    this.request?.destroy();
    this.agent.destroy();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`stopped while waiting for ${w.what}`));
    }
    this.waiters.clear();
  }

  /** Calls fn(type, obj, old, t) for every later event; returns a function that removes it. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the time (nowMs) at which predicate(cache) first holds; rejects on timeout. */
  waitFor(predicate, what, timeoutMs = 120_000) {
    if (predicate(this)) {
      return Promise.resolve(nowMs());
    }
    const waiting = new Promise((resolve, reject) => {
      const waiter = { predicate, resolve, reject, what };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.path})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
    // A wait abandoned because an earlier step failed must not become an unhandled rejection.
    waiting.catch(() => {});
    return waiting;
  }

  async #list() {
    const { json } = await call(this.url, { path: this.path, agent: this.agent });
    const t = nowMs();
    const seen = new Set();
    for (const obj of json.items) {
      const name = obj.metadata.name;
      seen.add(name);
      const old = this.objects.get(name);
      if (old?.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.#apply(old ? 'MODIFIED' : 'ADDED', obj, t);
      }
    }
    for (const [name, old] of [...this.objects]) {
      if (!seen.has(name)) {
        this.#apply('DELETED', old, t);
      }
    }
    this.resourceVersion = json.metadata.resourceVersion;
    this.#check(t);
  }

  #apply(type, obj, t) {
    const name = obj.metadata.name;
    const old = this.objects.get(name);
    if (type === 'DELETED') {
      this.objects.delete(name);
    } else {
      this.objects.set(name, obj);
    }
    this.events++;
    for (const listener of this.listeners) {
      listener(type, obj, old, t);
    }
  }

  #check(t) {
    for (const w of this.waiters) {
      if (w.predicate(this)) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(t);
      }
    }
  }

  #watch() {
    if (this.stopped) {
      return;
    }
    const sep = this.path.includes('?') ? '&' : '?';
    const path = `${this.path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${this.resourceVersion}`;
    // Events of a stream this cache already gave up on must not restart its successor.
    const generation = (this.generation = (this.generation ?? 0) + 1);
    const restart = (relist) => generation === this.generation && this.#restart(relist);
    const req = http.request(new URL(path, this.url), { agent: this.agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        restart(true);
        return;
      }
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk) => {
        buffered += chunk;
        let nl = buffered.indexOf('\n');
        while (nl >= 0 && generation === this.generation) {
          this.#onLine(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
        }
      });
      res.on('end', () => restart(false));
      res.on('error', () => restart(false));
    });
    req.on('error', () => restart(false));
    req.end();
    this.request = req;
  }

  #onLine(line) {
    if (!line.trim()) {
      return;
    }
    const t = nowMs();
    const event = JSON.parse(line);
    if (event.type === 'ERROR') {
      // 410 Gone (or any watch error): start over from a fresh list.
      this.request?.destroy();
      this.#restart(true);
      return;
    }
    this.resourceVersion = event.object.metadata.resourceVersion;
    if (event.type !== 'BOOKMARK') {
      this.#apply(event.type, event.object, t);
      this.#check(t);
    }
  }

  #restart(relist) {
    if (this.stopped || this.restarting) {
      return;
    }
    this.restarting = true;
    this.generation++;
    this.request?.destroy();
    setTimeout(async () => {
      try {
        if (relist) {
          this.relists++;
          await this.#list();
        }
      } catch {
        // The next watch attempt fails too and retries the list.
      }
      this.restarting = false;
      this.#watch();
    }, 50);
  }
}
