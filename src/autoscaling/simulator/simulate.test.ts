// The simulator: trace parsing and small traces replayed through decideScale.
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../apis/autoscaling/types.js';
import { DEFAULT_DECIDE_OPTIONS } from '../decide.js';
import { makeHPA } from '../testing/fixtures.js';
import { formatRows } from './format.js';
import type { SimulationConfig } from './simulate.js';
import { simulate } from './simulate.js';
import { parseTrace, pointAt } from './trace.js';

describe('parseTrace', () => {
  it('reads total load, skipping comments and blank lines, CRLF or not', () => {
    const trace = parseTrace('# load\r\ntime,total\r\n\r\n0,250m\r\n30, 1.5 \r\n');
    expect(trace).toEqual({
      kind: 'total',
      points: [
        { timeSeconds: 0, loadMilli: 250n, load: '250m' },
        { timeSeconds: 30, loadMilli: 1500n, load: '1.5' },
      ],
    });
  });

  it('reads per-pod load with an optional ready column, in any column order', () => {
    const trace = parseTrace('ready,Per_Pod,time\n2,300Mi,0\n,300Mi,60\n');
    expect(trace.kind).toBe('per_pod');
    expect(trace.points.map((p) => [p.timeSeconds, p.loadMilli, p.ready])).toEqual([
      [0, 314572800000n, 2],
      [60, 314572800000n, undefined],
    ]);
  });

  it.each([
    ['', 'the trace has no rows'],
    ['time,total\n', 'the trace has no rows'],
    ['time,load\n0,1', 'line 1: unknown column "load"'],
    [
      'time,total,per_pod\n0,1,1',
      'line 1: the header needs a "time" column and exactly one of "total" or "per_pod"',
    ],
    ['total\n1', 'line 1: the header needs a "time" column'],
    ['time,total\n0,1\n0,2', 'line 3: time 0 is not after 0'],
    ['time,total\nsoon,1', 'line 2: time "soon" is not a number of seconds'],
    ['time,total\n0,lots', 'line 2: load "lots" is not a quantity'],
    ['time,total\n0,-1', 'line 2: load "-1" is negative'],
    ['time,total\n0,1,2', 'line 2: 3 fields, the header has 2'],
    ['time,total,ready\n0,1,two', 'line 2: ready "two" is not a whole number'],
  ])('rejects %j', (text, message) => {
    expect(() => parseTrace(text)).toThrow(message);
  });

  it('holds each row until the next and uses the first row before the trace starts', () => {
    const trace = parseTrace('time,total\n10,1\n20,2\n');
    expect([0, 10, 19.9, 20, 99].map((t) => pointAt(trace, t).load)).toEqual([
      '1',
      '1',
      '1',
      '2',
      '2',
    ]);
  });
});

const cpu50: MetricSpec = {
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
};

function config(
  over: Partial<SimulationConfig> & Pick<SimulationConfig, 'trace'>,
): SimulationConfig {
  return {
    hpa: makeHPA({ minReplicas: 1, maxReplicas: 5, metrics: [cpu50] }),
    requestMilli: 500n,
    podReadyDelayMs: 30_000,
    initialReplicas: 1,
    syncPeriodMs: 15_000,
    options: { ...DEFAULT_DECIDE_OPTIONS },
    ...over,
  };
}

describe('simulate', () => {
  it('scales up on a load step, leaving new pods out until they are Ready with a fresh sample', () => {
    const rows = simulate(config({ trace: parseTrace('time,total\n0,250m\n30,1\n120,1\n') }));
    expect(rows.map((r) => [r.timeSeconds, r.pods, r.ready, r.metrics, r.replicas])).toEqual([
      [0, 1, 1, '50%', 1],
      [15, 1, 1, '50%', 1],
      [30, 1, 1, '200%', 4],
      [45, 4, 1, '200%', 4],
      [60, 4, 4, '50%', 4],
      [75, 4, 4, '50%', 4],
      [90, 4, 4, '50%', 4],
      [105, 4, 4, '50%', 4],
      [120, 4, 4, '50%', 4],
    ]);
    expect(rows[2]?.note).toBe(
      'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    );
    expect(rows[3]?.explanation).toContain('left out 3 unready pods (pod-2, pod-3, pod-4)');
  });

  it('scales down only once the higher recommendations of the window have expired', () => {
    const trace = parseTrace('time,per_pod\n0,250m\n15,100m\n');
    const rows = simulate(config({ trace, initialReplicas: 4, durationMs: 330_000 }));
    const changes = rows.filter((r) => r.note.startsWith('New size'));
    expect(changes.map((r) => [r.timeSeconds, r.replicas])).toEqual([[315, 2]]);
    expect(rows.find((r) => r.timeSeconds === 30)?.note).toBe('ScaleDownStabilized');
  });

  it('drives Pods and External metrics from the same load', () => {
    const trace = parseTrace('time,total\n0,30\n');
    const metrics: MetricSpec[] = [
      {
        type: 'Pods',
        pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
      },
      {
        type: 'External',
        external: {
          metric: { name: 'queue' },
          target: { type: 'AverageValue', averageValue: '5' },
        },
      },
    ];
    const hpa = makeHPA({ minReplicas: 1, maxReplicas: 10, metrics });
    const [first] = simulate(config({ trace, hpa, initialReplicas: 2 }));
    // 30 over 2 pods: 15 each (wants 3); the external queue of 30 wants 6 at 5 per pod.
    expect([first?.metrics, first?.replicas]).toEqual(['15 15', 4]);
  });

  it('honours the ready column', () => {
    const trace = parseTrace('time,total,ready\n0,1,1\n');
    const [first] = simulate(config({ trace, initialReplicas: 2 }));
    expect([first?.ready, first?.metrics]).toEqual([1, '200%']);
  });

  it('formats a table and CSV', () => {
    const rows = simulate(config({ trace: parseTrace('time,total\n0,250m\n') }));
    expect(formatRows(rows, 'table')).toEqual([
      'TIME   LOAD   PODS   READY   METRICS   REPLICAS   NOTE',
      '0      250m   1      1       50%       1',
    ]);
    expect(formatRows(rows, 'csv', true)).toEqual([
      'time,load,pods,ready,metrics,replicas,note,explanation',
      '0,250m,1,1,50%,1,,The cpu resource utilization (percentage of request) proposes 1 replica: keeping 1 replica.',
    ]);
  });
});
