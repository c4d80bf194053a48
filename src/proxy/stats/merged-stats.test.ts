// Counter arithmetic between processes, TrafficStats.changes() and MergedStats: what workers report
// adds up to what one process would have counted itself.
import { describe, expect, it } from 'vitest';
import { addChange, counterChange } from './counters.js';
import { MergedStats } from './merged-stats.js';
import { emptyCounters, TrafficStats } from './proxy-stats.js';

const scope = { namespace: 'default', service: 'web' };

function clocked() {
  const clock = { now: 0 };
  const now = () => clock.now;
  return { clock, now };
}

describe('counter changes', () => {
  it('adding the change to the earlier reading gives the later one (in-flight apart)', () => {
    const before = emptyCounters();
    before.requests = 3;
    before.responses['2xx'] = 3;
    before.latencyBuckets[2] = 3;
    before.inFlight = 4;
    const now = structuredClone(before);
    now.requests = 5;
    now.responses['5xx'] = 2;
    now.latencyBuckets[11] = 2;
    now.retries = 1;
    now.inFlight = 1;
    const change = counterChange(now, before);
    expect(change).toMatchObject({ requests: 2, retries: 1, inFlight: 1 });
    const sum = structuredClone(before);
    addChange(sum, change);
    expect({ ...sum, inFlight: 1 }).toEqual(now);
  });
});

describe('TrafficStats.changes', () => {
  it('reports each change once, and an in-flight level until it drops to zero', () => {
    const { clock, now } = clocked();
    const stats = new TrafficStats(now);
    stats.begin(scope);
    stats.end(scope, 200, 0.01);
    stats.begin(scope);
    clock.now = 500;
    const first = stats.changes();
    expect(first).toHaveLength(1);
    expect(first[0]?.counters).toMatchObject({ requests: 1, inFlight: 1, concurrencySeconds: 0.5 });
    clock.now = 1000;
    expect(stats.changes()[0]?.counters).toMatchObject({ requests: 0, concurrencySeconds: 0.5 });
    stats.end(scope, 200, 1);
    expect(stats.changes()[0]?.counters).toMatchObject({ requests: 1, inFlight: 0 });
    expect(stats.changes()).toEqual([]);
  });
});

describe('MergedStats', () => {
  it('adds each worker’s reports to its own counts and sums in-flight levels', () => {
    const { clock, now } = clocked();
    const local = new TrafficStats(now);
    const merged = new MergedStats(local, now);
    const workers = [new TrafficStats(now), new TrafficStats(now)];
    local.begin(scope);
    local.end(scope, 200, 0.01);
    for (const w of workers) {
      w.begin(scope);
      w.beginAttempt(scope, 'a');
      w.end(scope, 200, 0.01, 'a');
      w.begin(scope); // still in flight
    }
    clock.now = 1000;
    workers.forEach((w, i) => merged.addReport(i, w.changes()));
    expect(merged.service('default', 'web')).toMatchObject({ requests: 3, inFlight: 2 });
    expect(merged.pods('default', 'web').get('a')).toMatchObject({ requests: 2, inFlight: 0 });
    workers[0]?.end(scope, 503, 0.2);
    merged.addReport(0, workers[0]?.changes() ?? []);
    expect(merged.service('default', 'web')).toMatchObject({ requests: 4, inFlight: 1 });
    expect(merged.service('default', 'web')?.responses['5xx']).toBe(1);
    // Worker 1 dies with a request in flight: its counts stay, its level goes.
    merged.dropWorker(1);
    expect(merged.service('default', 'web')).toMatchObject({ requests: 4, inFlight: 0 });
    expect(
      merged
        .series()
        .map((s) => s.pod)
        .sort(),
    ).toEqual(['', 'a']);
    expect(merged.service('default', 'other')).toBeUndefined();
  });

  it('drops idle reported pod series, never Services', () => {
    const { clock, now } = clocked();
    const merged = new MergedStats(new TrafficStats(now), now);
    const worker = new TrafficStats(now);
    worker.begin(scope);
    worker.beginAttempt(scope, 'a');
    worker.end(scope, 200, 0.01, 'a');
    merged.addReport(0, worker.changes());
    clock.now = 10_000;
    merged.prune(1000);
    expect(merged.pods('default', 'web').size).toBe(0);
    expect(merged.service('default', 'web')).toMatchObject({ requests: 1 });
  });
});
