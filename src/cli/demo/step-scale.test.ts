import { describe, expect, it } from 'vitest';
import type { HpaRow } from './hpa-table.js';
import { isLoadDone } from './step-scale.js';

const row = (replicas: number, maxPods = 10): HpaRow => ({
  cells: [],
  targets: 'cpu: 100%/50%',
  minPods: 2,
  maxPods,
  replicas,
});

describe('isLoadDone', () => {
  it.each([
    {
      what: 'not scaled up yet',
      replicas: 2,
      answering: 2,
      loadMs: 30_000,
      sinceChangeMs: 30_000,
      done: false,
    },
    {
      what: 'just scaled up',
      replicas: 4,
      answering: 2,
      loadMs: 5_000,
      sinceChangeMs: 0,
      done: false,
    },
    {
      what: 'at the max, just now',
      replicas: 10,
      answering: 10,
      loadMs: 10_000,
      sinceChangeMs: 1_000,
      done: false,
    },
    {
      what: 'at the max, new pods not ready',
      replicas: 10,
      answering: 4,
      loadMs: 10_000,
      sinceChangeMs: 5_000,
      done: false,
    },
    {
      what: 'at the max, all answering for 3 s',
      replicas: 10,
      answering: 10,
      loadMs: 10_000,
      sinceChangeMs: 3_000,
      done: true,
    },
    {
      what: 'settled below the max',
      replicas: 7,
      answering: 7,
      loadMs: 20_000,
      sinceChangeMs: 12_000,
      done: true,
    },
    {
      what: 'still changing',
      replicas: 7,
      answering: 7,
      loadMs: 20_000,
      sinceChangeMs: 5_000,
      done: false,
    },
    {
      what: 'loaded long enough',
      replicas: 5,
      answering: 3,
      loadMs: 60_000,
      sinceChangeMs: 2_000,
      done: true,
    },
  ])('$what', ({ replicas, answering, loadMs, sinceChangeMs, done }) => {
    expect(isLoadDone({ initial: 2, row: row(replicas), answering, loadMs, sinceChangeMs })).toBe(
      done,
    );
  });
});
