import { describe, expect, it } from 'vitest';
import { summaryLines } from './summary.js';
import { RequestTally } from './tally.js';

describe('summaryLines', () => {
  it('tells the whole story with the failed-request count', () => {
    const tally = new RequestTally();
    tally.record({ atMs: 1, pod: 'web-a' });
    tally.record({ atMs: 2, pod: 'web-b' });
    const lines = summaryLines(
      {
        pods: ['web-a', 'web-b'],
        killedPod: 'web-a',
        rejoinedAfterMs: 8_300,
        restarts: 1,
        replicaHistory: [2, 4, 7, 10, 3, 2],
        loadMs: 24_600,
        scaleDownMs: 24_000,
      },
      tally,
      102_000,
    );
    expect(lines).toEqual([
      'The story took 1m42s.',
      'Self-healing: python3 killed in web-a; restarted (RESTARTS 1), answering again 8.3s after the kill.',
      'Autoscaling: replicas 2 -> 4 -> 7 -> 10 -> 3 -> 2 (peak 10; load for 24.6s; back at 2 24.0s after the load stopped).',
      'Failed requests: 0 (of 2 sent through the Ingress)',
    ]);
  });

  it('lists the failures when there are some, and skips steps not reached', () => {
    const tally = new RequestTally();
    tally.record({ atMs: 1, error: 'HTTP 503' });
    expect(summaryLines({ pods: [], replicaHistory: [2] }, tally, 5_000)).toEqual([
      'The story took 5.0s.',
      'Failed requests: 1 (of 1 sent through the Ingress)',
      '  1 x HTTP 503',
    ]);
  });
});
