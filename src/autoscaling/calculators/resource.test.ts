// Utilization calculator tables, from upstream's TestReplicaCalcResourceScale,
// TestReplicaCalcResourceTolerance and TestReplicaCalcResourceMissingMetrics numbers.
import { describe, expect, it } from 'vitest';
import { NOW, ago, makePodMetrics, makePods, sameLevels } from '../testing/fixtures.js';
import { resourceSamples } from '../samples.js';
import type { PodSamples, MetricError } from '../samples.js';
import type { Tolerances } from '../tolerance.js';
import { resourceReplicas } from './resource.js';

const TIMING = {
  cpuInitializationPeriodMs: 120_000,
  initialReadinessDelayMs: 10_000,
  nowMs: NOW.getTime(),
};
const C = 2; // containers per pod, as numContainersPerPod upstream
const HOT = NOW.toISOString();
const COOL = ago(180);
const T = 'True' as const;
const F = 'False' as const;

interface Case {
  name: string;
  current: number;
  requests: string[];
  levels: number[][];
  target: number;
  expected?: [replicas: number, utilization: number, raw: number];
  error?: string;
  container?: string;
  names?: string[];
  readiness?: ('True' | 'False')[];
  startTimes?: string[];
  phases?: string[];
  deleted?: boolean[];
  tolerances?: Tolerances;
}

const ones = (n: number): string[] => Array<string>(n).fill('1.0');

function run(c: Case): ReturnType<typeof resourceReplicas> {
  const pods = makePods({
    count: Math.max(c.current, c.phases?.length ?? 0),
    containerRequests: c.requests,
    readiness: c.readiness,
    startTimes: c.startTimes,
    phases: c.phases,
    deleted: c.deleted,
  });
  let samples: PodSamples | MetricError;
  try {
    samples = resourceSamples(
      makePodMetrics(c.levels, { names: c.names }),
      'cpu',
      c.container ?? '',
    );
  } catch (e) {
    samples = e as MetricError;
  }
  return resourceReplicas({
    currentReplicas: c.current,
    targetUtilization: c.target,
    resource: 'cpu',
    container: c.container ?? '',
    tolerances: c.tolerances ?? { scaleDown: 0.1, scaleUp: 0.1 },
    samples,
    pods,
    timing: TIMING,
  });
}

// prettier-ignore
const scaleCases: Case[] = [
  { name: 'scale up', current: 3, requests: ones(3), levels: sameLevels(300, 500, 700), target: 30, expected: [5, 50, C * 500] },
  { name: 'scale up: container metric', current: 3, container: 'container2', requests: ones(3), levels: [[1000, 300], [1000, 500], [1000, 700]], target: 30, expected: [5, 50, 500] },
  { name: 'scale up: unready pod scales less', current: 3, readiness: [F, T, T], requests: ones(3), levels: sameLevels(300, 500, 700), target: 30, expected: [4, 60, C * 600] },
  { name: 'scale up: hot-CPU container scales less', current: 3, startTimes: [HOT, COOL, COOL], container: 'container2', requests: ones(3), levels: [[0, 300], [0, 500], [0, 700]], target: 30, expected: [4, 60, 600] },
  { name: 'scale up: hot-CPU pod scales less', current: 3, startTimes: [HOT, COOL, COOL], requests: ones(3), levels: sameLevels(300, 500, 700), target: 30, expected: [4, 60, C * 600] },
  { name: 'no scale: unready pods ignored', current: 3, readiness: [T, F, F], requests: ones(3), levels: sameLevels(400, 500, 700), target: 30, expected: [3, 40, C * 400] },
  { name: 'no scale: hot-CPU pods ignored', current: 3, readiness: [T, F, F], startTimes: [COOL, HOT, HOT], requests: ones(3), levels: sameLevels(400, 500, 700), target: 30, expected: [3, 40, C * 400] },
  { name: 'scale up: failed pods ignored', current: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Failed', 'Failed'], requests: ones(4), levels: sameLevels(500, 700), target: 30, expected: [4, 60, C * 600] },
  { name: 'scale up: failed pods ignored with missing container metric', current: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Failed', 'Failed'], container: 'container2', requests: ones(4), levels: [[1000, 500], [9000, 700], [1000], [9000]], target: 30, expected: [4, 60, 600] },
  { name: 'scale up: succeeded pods ignored', current: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Succeeded', 'Succeeded'], requests: ones(4), levels: sameLevels(500, 700), target: 30, expected: [4, 60, C * 600] },
  { name: 'scale up: pods being deleted are ignored', current: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running'], deleted: [false, false, true, true], requests: ones(4), levels: sameLevels(500, 700), target: 30, expected: [4, 60, C * 600] },
  { name: 'scale up: container metrics with pods being deleted ignored', current: 2, readiness: [T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running'], deleted: [false, false, true, true], container: 'container1', requests: ones(4), levels: sameLevels(500, 700), target: 30, expected: [4, 60, 600] },
  { name: 'scale down', current: 5, requests: ones(5), levels: sameLevels(100, 300, 500, 250, 250), target: 50, expected: [3, 28, C * 280] },
  { name: 'scale down: container metric', current: 5, container: 'container2', requests: ones(5), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], target: 50, expected: [3, 28, 280] },
  { name: 'scale down: exclude unready pods', current: 5, readiness: [T, T, T, F, F], requests: ones(5), levels: sameLevels(100, 300, 500, 250, 250), target: 50, expected: [2, 30, C * 300] },
  { name: 'scale down: exclude unscheduled pods', current: 5, readiness: [T, F, F, F, F], phases: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'], requests: ones(5), levels: sameLevels(100), target: 50, expected: [1, 10, C * 100] },
  { name: 'scale down: container metric excludes unscheduled pods', current: 5, readiness: [T, F, F, F, F], phases: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'], container: 'container2', requests: ones(5), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], target: 50, expected: [1, 10, 100] },
  { name: 'scale down: ignore hot-CPU pods', current: 5, startTimes: [COOL, COOL, COOL, HOT, HOT], requests: ones(5), levels: sameLevels(100, 300, 500, 250, 250), target: 50, expected: [2, 30, C * 300] },
  { name: 'scale down: container metric ignores hot-CPU pods', current: 5, startTimes: [COOL, COOL, COOL, HOT, HOT], container: 'container2', requests: ones(5), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 1000], [1000, 1000]], target: 50, expected: [2, 30, 300] },
  { name: 'scale down: failed pods ignored', current: 5, readiness: [T, T, T, T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], requests: ones(7), levels: sameLevels(100, 300, 500, 250, 250), target: 50, expected: [3, 28, C * 280] },
  { name: 'scale down: succeeded pods ignored', current: 5, readiness: [T, T, T, T, T, F, F], phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Succeeded', 'Succeeded'], requests: ones(7), levels: sameLevels(100, 300, 500, 250, 250), target: 50, expected: [3, 28, C * 280] },
  { name: 'scale down: still-running pods being deleted are ignored', current: 5, readiness: [T, T, T, T, T, F, F], phases: Array<string>(7).fill('Running'), deleted: [false, false, false, false, false, true, true], container: 'container2', requests: ones(7), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], target: 50, expected: [3, 28, 280] },
];

const mixed = ['0.9', '1.0', '1.1'];
// prettier-ignore
const toleranceCases: Case[] = [
  { name: 'within default tolerance', current: 3, requests: mixed, levels: sameLevels(1010, 1030, 1020), target: 100, expected: [3, 102, C * 1020] },
  { name: 'outside 0% tolerance', tolerances: { scaleDown: 0, scaleUp: 0 }, current: 3, requests: mixed, levels: sameLevels(909, 1010, 1111), target: 100, expected: [4, 101, C * 1010] },
  { name: 'within 200% scale-up tolerance', tolerances: { scaleDown: 0.1, scaleUp: 2 }, current: 3, requests: mixed, levels: sameLevels(1890, 1910, 1900), target: 100, expected: [3, 190, C * 1900] },
  { name: 'outside 8% scale-up tolerance', tolerances: { scaleDown: 2, scaleUp: 0.08 }, current: 3, requests: mixed, levels: sameLevels(1100, 1080, 1090), target: 100, expected: [4, 109, C * 1090] },
  { name: 'within 36% scale-down tolerance', tolerances: { scaleDown: 0.36, scaleUp: 0.1 }, current: 3, requests: mixed, levels: sameLevels(660, 640, 650), target: 100, expected: [3, 65, C * 650] },
  { name: 'outside 34% scale-down tolerance', tolerances: { scaleDown: 0.34, scaleUp: 0.1 }, current: 3, requests: mixed, levels: sameLevels(660, 640, 650), target: 100, expected: [2, 65, C * 650] },
  // §4: 110% against 100% sits on the inclusive upper bound (pre-1.33 |1-r| <= tol would scale).
  { name: 'exactly on the upper bound does not scale', current: 3, requests: ones(3), levels: sameLevels(1100, 1100, 1100), target: 100, expected: [3, 110, C * 1100] },
  { name: 'exactly on the lower bound does not scale', current: 3, requests: ones(3), levels: sameLevels(900, 900, 900), target: 100, expected: [3, 90, C * 900] },
  { name: 'just above the upper bound scales', current: 3, requests: ones(3), levels: sameLevels(1110, 1110, 1110), target: 100, expected: [4, 111, C * 1110] },
];

// prettier-ignore
const missingCases: Case[] = [
  { name: 'superfluous metrics counted', current: 4, requests: ones(4), levels: sameLevels(4000, 9500, 3000, 7000, 3200, 2000), target: 100, expected: [24, 587, C * 5875] },
  { name: 'some pods missing metrics scales down', current: 4, requests: ones(4), levels: sameLevels(400, 95), target: 100, expected: [3, 24, 495] },
  { name: 'no change: metric equal to target', current: 2, requests: ones(2), levels: sameLevels(1000), target: 100, expected: [2, 100, C * 1000] },
  { name: 'no change: metric above target', current: 2, requests: ones(2), levels: sameLevels(1900), target: 100, expected: [2, 190, C * 1900] },
  { name: 'no change: metric below target', current: 2, requests: ones(2), levels: sameLevels(600), target: 100, expected: [2, 60, C * 600] },
  { name: 'no change: unready pod metric missing', current: 3, readiness: [F, T, T], requests: ones(3), levels: sameLevels(100, 450), target: 50, expected: [3, 45, C * 450] },
  { name: 'no change: hot-CPU pod metric missing', current: 3, startTimes: [HOT, COOL, COOL], requests: ones(3), levels: sameLevels(100, 450), target: 50, expected: [3, 45, C * 450] },
  { name: 'scale up: unready pod metric missing', current: 3, readiness: [F, T, T], requests: ones(3), levels: sameLevels(100, 2000), target: 50, expected: [4, 200, C * 2000] },
  { name: 'scale up: hot-CPU pod metric missing', current: 3, readiness: [F, T, T], startTimes: [HOT, COOL, COOL], requests: ones(3), levels: sameLevels(100, 2000), target: 50, expected: [4, 200, C * 2000] },
  { name: 'scale down: unready pod metric missing', current: 4, readiness: [F, T, T, T], requests: ones(4), levels: sameLevels(100, 100, 100), target: 50, expected: [3, 10, C * 100] },
  { name: 'scale down: target over 100', current: 4, readiness: [F, T, T, T], requests: ['1.0', '1.0', '2.0', '2.0'], levels: sameLevels(200, 100, 100), target: 300, expected: [2, 6, C * 100] },
  { name: 'rolling update with maxSurge: extra pod missing metric', current: 2, phases: ['Running', 'Running', 'Running'], requests: ones(3), levels: sameLevels(100, 100), target: 50, expected: [2, 10, C * 100] },
  { name: 'disjoint pod and metric names', current: 1, requests: ones(1), levels: sameLevels(100), names: ['an-older-pod-name'], target: 100, error: 'no metrics returned matched known pods' },
  { name: 'no metrics returned from metrics API', current: 4, requests: ones(3), levels: [], target: 100, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' },
  { name: 'missing CPU request on container', current: 1, requests: [], levels: sameLevels(200), target: 100, error: 'missing request for cpu in container container1 of Pod test-pod-0' },
  { name: 'every pod unready', current: 2, readiness: [F, F], requests: ones(2), levels: sameLevels(100, 100), target: 50, error: 'did not receive metrics for targeted pods (pods might be unready)' },
  { name: 'targeted container absent', current: 1, container: 'sidecar', requests: ones(1), levels: [[100, 100]], target: 50, error: 'did not receive metrics for targeted pods (pods might be unready)' },
];

describe('resourceReplicas', () => {
  it.each([...scaleCases, ...toleranceCases, ...missingCases])('$name', (c) => {
    if (c.error !== undefined) {
      expect(() => run(c)).toThrow(c.error);
      return;
    }
    const result = run(c);
    expect([result.replicas, result.utilization, Number(result.rawAverage)]).toEqual(c.expected);
  });

  it('reproduces the computed-tolerance regression (scales just past the band, not inside it)', () => {
    // 10 pods using 150m each against ~300m requests: 50% utilization.
    const perPod = 300;
    const requests = [100, -100, 10, -10, 2, -2, 1, -1, 0, 0].map((d) => `${perPod + d}m`);
    const base: Case = {
      name: '',
      current: 10,
      requests,
      levels: sameLevels(...Array<number>(10).fill(150)),
      target: 0,
    };
    const target = Math.abs(1 / (2 * (1 - 0.1))) + 0.01;
    const finalPods = Math.ceil((1500 / (3000 * target)) * 10);
    const down = run({ ...base, target: Math.trunc(target * 100) });
    expect([down.replicas, down.utilization, Number(down.rawAverage)]).toEqual([
      finalPods,
      50,
      C * 150,
    ]);
    const close = run({
      ...base,
      target: Math.trunc((Math.abs(1 / (2 * (1 - 0.1))) + 0.004) * 100),
    });
    expect(close.replicas).toBe(10);
  });

  it('keeps utilization exact where int64 sums would wrap, and clamps it to int32', () => {
    const huge = 2n ** 62n;
    const samples: PodSamples = new Map([
      ['test-pod-0', { value: huge, timestampMs: 0, windowMs: 60_000 }],
      ['test-pod-1', { value: huge, timestampMs: 0, windowMs: 60_000 }],
    ]);
    const result = resourceReplicas({
      currentReplicas: 2,
      targetUtilization: 100,
      resource: 'cpu',
      container: '',
      tolerances: { scaleDown: 0.1, scaleUp: 0.1 },
      samples,
      pods: makePods({ count: 2, containerRequests: ['1', '1'] }),
      timing: TIMING,
    });
    expect(result.utilization).toBe(2 ** 31 - 1);
    expect(result.rawAverage).toBe(huge);
  });

  it('counts stray samples in the final replica count but not in the mean', () => {
    const c: Case = {
      name: '',
      current: 2,
      readiness: [F, T],
      requests: ones(2),
      levels: sameLevels(100, 900, 900),
      target: 30,
    };
    // Pod 0 is unready; scale-up counts it as 0: 1800m of 4000m = 45%, ratio 1.5. The stray
    // third sample has no request, so the mean skips it, yet ceil(1.5 * 3 samples) = 5.
    const result = run(c);
    expect(result.utilization).toBe(90);
    expect(result.replicas).toBe(5);
  });
});
