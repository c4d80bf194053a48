// Reads `kubectl get hpa` tables (as printed, columns split on runs of spaces) and lays their
// rows out with steady column widths, so rows from successive polls line up like `get -w`.

export interface HpaRow {
  cells: string[];
  targets: string;
  minPods: number;
  maxPods: number;
  replicas: number;
}

export interface HpaTable {
  header: string[];
  rows: HpaRow[];
}

const split = (line: string): string[] => line.trim().split(/\s{2,}/);

/** The header and rows of `kubectl get hpa` output; undefined when it is not such a table. */
export function parseHpaTable(text: string): HpaTable | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0] === undefined ? [] : split(lines[0]);
  const targetsAt = header.indexOf('TARGETS');
  const replicasAt = header.indexOf('REPLICAS');
  if (targetsAt < 0 || replicasAt < 0) {
    return undefined;
  }
  const at = (cells: string[], column: string): number =>
    Number(cells[header.indexOf(column)] ?? NaN);
  const rows = lines.slice(1).map((line): HpaRow => {
    const cells = split(line);
    return {
      cells,
      targets: cells[targetsAt] ?? '',
      minPods: at(cells, 'MINPODS'),
      maxPods: at(cells, 'MAXPODS'),
      replicas: at(cells, 'REPLICAS'),
    };
  });
  return { header, rows };
}

// Wide enough for `cpu: 187%/50%` and the counts, so most rows keep the header's layout.
const MIN_WIDTHS: Record<string, number> = { TARGETS: 15, MINPODS: 7, MAXPODS: 7, REPLICAS: 8 };

/** Column widths for a header and a first row (each at least its header, plus some room). */
export function columnWidths(header: string[], row: string[]): number[] {
  return header.map((name, i) => Math.max(name.length, row[i]?.length ?? 0, MIN_WIDTHS[name] ?? 0));
}

/** Cells padded to the widths and joined by three spaces, as kubectl separates columns. */
export function formatCells(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
    .join('   ');
}

/** A note on a change of the replica count: `scaled up 2 -> 4`; empty when unchanged. */
export function replicaChange(previous: number | undefined, current: number): string {
  if (previous === undefined || previous === current) {
    return '';
  }
  return `scaled ${current > previous ? 'up' : 'down'} ${previous} -> ${current}`;
}
