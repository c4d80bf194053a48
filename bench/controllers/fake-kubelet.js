// FakeKubelet, the benchmark's only test double, stands in for the node agent: it watches pods and
// merge-patches each new pod's status to Running and Ready after a delay (container start). It
// confirms graceful deletions (pods bound to a node) with a zero-grace DELETE, as a kubelet does.
import http from 'node:http';
import { nowMs } from '../api/stats.js';
import { call, mergePatch } from './client.js';
import { WatchCache } from './watch-cache.js';

const SETTLED_PHASES = new Set(['Running', 'Succeeded', 'Failed']);

/** The status a kubelet reports for a pod whose containers all started and passed readiness. */
export function runningStatus(pod, podIP, now) {
  const at = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: at,
  });
  return {
    metadata: { uid: pod.metadata.uid },
    status: {
      phase: 'Running',
      hostIP: '127.0.0.1',
      hostIPs: [{ ip: '127.0.0.1' }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: at,
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
      containerStatuses: (pod.spec.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `fake-kubelet://${c.image}`,
        containerID: `fake-kubelet://${pod.metadata.uid}/${c.name}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: at } },
        lastState: {},
      })),
    },
  };
}

/** Plays the kubelet for every pod of one namespace. */
export class FakeKubelet {
  /** @param {{ url: string, namespace: string, delayMs?: number, concurrency?: number }} opts */
  constructor({ url, namespace, delayMs = 0, concurrency = 8 }) {
    this.url = url;
    this.base = `/api/v1/namespaces/${namespace}/pods`;
    this.delayMs = delayMs;
    this.concurrency = concurrency;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    this.handled = new Set();
    this.timers = new Map();
    this.queue = [];
    this.inFlight = 0;
    this.nextIp = 0;
    this.stats = { started: 0, deletesConfirmed: 0, gone: 0, errors: 0, lastError: null };
    this.lastReadyAt = 0;
    this.pods = new WatchCache({
      url,
      path: this.base,
      onEvent: (type, pod) => this.#onEvent(type, pod),
    });
  }

  async start() {
    await this.pods.start();
  }

  stop() {
    this.pods.stop();
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    this.queue.length = 0;
    this.agent.destroy();
  }

  #onEvent(type, pod) {
    const uid = pod.metadata.uid;
    if (type === 'DELETED') {
      clearTimeout(this.timers.get(uid));
      this.timers.delete(uid);
      this.handled.delete(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      if (pod.spec.nodeName && !this.handled.has(`delete:${uid}`)) {
        this.handled.add(`delete:${uid}`);
        this.#enqueue(() => this.#confirmDelete(pod));
      }
      return;
    }
    if (this.handled.has(uid) || SETTLED_PHASES.has(pod.status?.phase)) {
      return;
    }
    this.handled.add(uid);
    const run = () => {
      this.timers.delete(uid);
      this.#enqueue(() => this.#markRunning(pod));
    };
    if (this.delayMs > 0) {
      this.timers.set(uid, setTimeout(run, this.delayMs));
    } else {
      run();
    }
  }

  #enqueue(job) {
    this.queue.push(job);
    this.#pump();
  }

  #pump() {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift();
      this.inFlight++;
      job()
        .catch((e) => {
          if (e.status === 404) {
            this.stats.gone++;
          } else {
            this.stats.errors++;
            this.stats.lastError = e.message;
          }
        })
        .finally(() => {
          this.inFlight--;
          this.#pump();
        });
    }
  }

  async #markRunning(pod) {
    const n = this.nextIp++;
    const ip = `10.244.${(n >> 8) & 255}.${n & 255}`;
    const body = runningStatus(pod, ip, Date.now());
    await mergePatch(this.url, `${this.base}/${pod.metadata.name}/status`, body, this.agent);
    this.stats.started++;
    this.lastReadyAt = nowMs();
  }

  async #confirmDelete(pod) {
    await call(this.url, {
      method: 'DELETE',
      path: `${this.base}/${pod.metadata.name}`,
      body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } },
      agent: this.agent,
    });
    this.stats.deletesConfirmed++;
  }
}
