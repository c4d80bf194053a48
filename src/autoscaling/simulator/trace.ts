// The load trace `kubeproc hpa simulate` replays: a CSV of time (seconds) and either the total
// load or the load per ready pod, with an optional number of Ready pods.
import { milliValue } from '../milli.js';

/** How the load column is meant. */
export type TraceKind = 'total' | 'per_pod';

/** One row of the trace; values hold until the next row. */
export interface TracePoint {
  timeSeconds: number;
  /** The load in milli-units of the metric (total, or per ready pod). */
  loadMilli: bigint;
  /** The load as written, for output. */
  load: string;
  /** How many pods are Ready at most (the `ready` column), when given. */
  ready?: number;
}

/** A parsed trace. */
export interface Trace {
  kind: TraceKind;
  points: TracePoint[];
}

/** A trace the simulator cannot read; the message names the line. */
export class TraceError extends Error {
  readonly code = 'HPA_TRACE';
}

const LOAD_COLUMNS: Record<string, TraceKind> = {
  total: 'total',
  per_pod: 'per_pod',
  'per-pod': 'per_pod',
};

interface Columns {
  kind: TraceKind;
  time: number;
  load: number;
  ready: number;
  count: number;
}

function parseHeader(fields: string[], line: number): Columns {
  const names = fields.map((f) => f.toLowerCase());
  const loads = names.filter((n) => n in LOAD_COLUMNS);
  const unknown = names.filter((n) => n !== 'time' && n !== 'ready' && !(n in LOAD_COLUMNS));
  if (unknown.length > 0) {
    throw new TraceError(
      `line ${line}: unknown column "${unknown[0]}" (want time, total or per_pod, and optionally ready)`,
    );
  }
  if (!names.includes('time') || loads.length !== 1) {
    throw new TraceError(
      `line ${line}: the header needs a "time" column and exactly one of "total" or "per_pod"`,
    );
  }
  const load = loads[0] ?? 'total';
  return {
    kind: LOAD_COLUMNS[load] ?? 'total',
    time: names.indexOf('time'),
    load: names.indexOf(load),
    ready: names.indexOf('ready'),
    count: names.length,
  };
}

function parseRow(fields: string[], cols: Columns, line: number): TracePoint {
  const time = fields[cols.time] ?? '';
  const load = fields[cols.load] ?? '';
  const timeSeconds = Number(time);
  if (time === '' || !Number.isFinite(timeSeconds) || timeSeconds < 0) {
    throw new TraceError(`line ${line}: time "${time}" is not a number of seconds`);
  }
  let loadMilli: bigint;
  try {
    loadMilli = milliValue(load);
  } catch {
    throw new TraceError(
      `line ${line}: load "${load}" is not a quantity (like 250m, 1.5 or 300Mi)`,
    );
  }
  if (loadMilli < 0n) {
    throw new TraceError(`line ${line}: load "${load}" is negative`);
  }
  const point: TracePoint = { timeSeconds, loadMilli, load };
  const ready = cols.ready >= 0 ? (fields[cols.ready] ?? '') : '';
  if (ready !== '') {
    if (!/^[0-9]+$/.test(ready)) {
      throw new TraceError(`line ${line}: ready "${ready}" is not a whole number`);
    }
    point.ready = Number(ready);
  }
  return point;
}

/** Parses a trace; blank lines and lines starting with # are skipped. */
export function parseTrace(text: string): Trace {
  let cols: Columns | undefined;
  const points: TracePoint[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      return;
    }
    const fields = trimmed.split(',').map((f) => f.trim());
    if (cols === undefined) {
      cols = parseHeader(fields, i + 1);
      return;
    }
    if (fields.length !== cols.count) {
      throw new TraceError(`line ${i + 1}: ${fields.length} fields, the header has ${cols.count}`);
    }
    const point = parseRow(fields, cols, i + 1);
    const previous = points[points.length - 1];
    if (previous && point.timeSeconds <= previous.timeSeconds) {
      throw new TraceError(
        `line ${i + 1}: time ${point.timeSeconds} is not after ${previous.timeSeconds}`,
      );
    }
    points.push(point);
  });
  if (cols === undefined || points.length === 0) {
    throw new TraceError(
      'the trace has no rows (want a header such as "time,total" and at least one row)',
    );
  }
  return { kind: cols.kind, points };
}

/** The trace row in force at `timeSeconds` (the first row before the trace starts). */
export function pointAt(trace: Trace, timeSeconds: number): TracePoint {
  let current = trace.points[0];
  for (const p of trace.points) {
    if (p.timeSeconds > timeSeconds) {
      break;
    }
    current = p;
  }
  if (current === undefined) {
    throw new TraceError('the trace has no rows');
  }
  return current;
}
