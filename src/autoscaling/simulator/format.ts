// The simulator's output: an aligned table (like kubectl's) or CSV, optionally with the
// explanation of every decision.
import type { SimulationRow } from './simulate.js';

const HEADER = ['TIME', 'LOAD', 'PODS', 'READY', 'METRICS', 'REPLICAS', 'NOTE', 'EXPLANATION'];

function cells(row: SimulationRow, explain: boolean): string[] {
  const base = [
    `${row.timeSeconds}`,
    row.load,
    `${row.pods}`,
    `${row.ready}`,
    row.metrics,
    `${row.replicas}`,
    row.note,
  ];
  return explain ? [...base, row.explanation] : base;
}

const csvCell = (cell: string): string =>
  /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

/** The output lines: an aligned table, or CSV with a header. */
export function formatRows(
  rows: SimulationRow[],
  output: 'table' | 'csv',
  explain = false,
): string[] {
  const header = explain ? HEADER : HEADER.slice(0, -1);
  const table = [header, ...rows.map((r) => cells(r, explain))];
  if (output === 'csv') {
    return table.map((row, i) =>
      (i === 0 ? row.map((h) => h.toLowerCase()) : row).map(csvCell).join(','),
    );
  }
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return table.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
}
