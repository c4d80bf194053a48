// Watch fan-out: W watchers (in a worker thread) on one prefix while the main thread makes N
// sequential writes; measures per-event delivery lag and time until every watcher has all events.
import { Worker } from 'node:worker_threads';
import { percentile, round, summarize } from './stats.js';

const WORKER = new URL('./watch-worker.js', import.meta.url);

function startWatchers(workerData, deadlineMs) {
  const worker = new Worker(WORKER, { workerData });
  let onDone;
  const done = new Promise((resolve, reject) => {
    onDone = resolve;
    worker.once('error', reject);
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`watchers not established within ${deadlineMs} ms`)),
      deadlineMs,
    );
    worker.on('message', (msg) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (msg.type === 'done') {
        onDone(msg.results);
      }
    });
  });
  return { worker, ready, done };
}

/**
 * Opens `watchers` streams, then calls write(i) for i < writes sequentially; write resolves
 * with { revision, startMs, ackMs }. Lag = event arrival - write acknowledged; it can be
 * negative because a server may push the event before it answers the write.
 */
export async function benchWatch({ workerData, writes, write, deadlineMs = 90_000 }) {
  const watchers = workerData.watchers;
  const w = startWatchers({ ...workerData, expected: writes }, 30_000);
  try {
    await w.ready;
    const acks = new Map();
    let firstStart = Number.NaN;
    let lastAck = Number.NaN;
    for (let i = 0; i < writes; i++) {
      const r = await write(i);
      acks.set(r.revision, r);
      firstStart = i === 0 ? r.startMs : firstStart;
      lastAck = r.ackMs;
    }
    const timeout = setTimeout(
      () => w.worker.postMessage('finish'),
      Math.max(1000, deadlineMs - (lastAck - firstStart)),
    );
    const results = await w.done;
    clearTimeout(timeout);
    return analyze({ results, acks, writes, watchers, firstStart, lastAck });
  } finally {
    await w.worker.terminate();
  }
}

function analyze({ results, acks, writes, watchers, firstStart, lastAck }) {
  const lagFromAck = [];
  const lagFromStart = [];
  const lastArrival = new Map();
  let lastEvent = firstStart;
  let complete = 0;
  let unknown = 0;
  for (const r of results) {
    complete += r.count >= writes ? 1 : 0;
    for (let k = 0; k < r.count; k++) {
      const ack = acks.get(r.revisions[k]);
      const t = r.times[k];
      lastEvent = Math.max(lastEvent, t);
      if (!ack) {
        unknown++;
        continue;
      }
      lagFromAck.push(t - ack.ackMs);
      lagFromStart.push(t - ack.startMs);
      lastArrival.set(r.revisions[k], Math.max(lastArrival.get(r.revisions[k]) ?? -Infinity, t));
    }
  }
  const fanOutComplete = [...lastArrival].map(([rev, t]) => t - acks.get(rev).ackMs);
  return {
    watchers,
    writes,
    watchersWithAllEvents: complete,
    eventsReceived: results.reduce((a, r) => a + r.count, 0),
    eventsWithUnknownRevision: unknown,
    writePhaseMs: round(lastAck - firstStart, 1),
    writesPerSec: round((writes / (lastAck - firstStart)) * 1000, 0),
    allWatchersAllEventsMs: complete === watchers ? round(lastEvent - firstStart, 1) : null,
    lagAfterAckMs: summarize(lagFromAck),
    lagAfterWriteStartMs: summarize(lagFromStart),
    lastWatcherLagAfterAckP99Ms: round(percentile(fanOutComplete, 99), 3),
    unexpectedLines: results.flatMap((r) => r.other).slice(0, 5),
  };
}
