// Polls `kubectl get hpa NAME` once a second and prints kubectl's header once, then a row each
// time REPLICAS changes (as `kubectl get hpa -w` would show the change), noting the change.
import { APP } from './context.js';
import type { DemoContext } from './context.js';
import { columnWidths, formatCells, parseHpaTable, replicaChange } from './hpa-table.js';
import type { HpaRow } from './hpa-table.js';

export class HpaWatch {
  private widths: number[] | undefined;
  private last: number | undefined;

  constructor(private readonly ctx: DemoContext) {}

  /** The HPA's current row (printed when its replica count changed), or undefined. */
  async poll(): Promise<HpaRow | undefined> {
    const r = await this.ctx.kubectl.run(['get', 'hpa', APP]);
    const table = r.code === 0 ? parseHpaTable(r.stdout) : undefined;
    const row = table?.rows[0];
    if (!table || !row || Number.isNaN(row.replicas)) {
      return undefined;
    }
    const { narrator, report } = this.ctx;
    if (this.widths === undefined) {
      this.widths = columnWidths(table.header, row.cells);
      narrator.command(`kubectl get hpa ${APP}    # every second; a row when REPLICAS changes`);
      narrator.output(formatCells(table.header, this.widths));
    }
    if (row.replicas !== this.last) {
      const note = replicaChange(this.last, row.replicas);
      narrator.output(
        `${formatCells(row.cells, this.widths)}${note === '' ? '' : `   <- ${note}`}`,
      );
      if (report.replicaHistory.at(-1) !== row.replicas) {
        report.replicaHistory.push(row.replicas);
      }
      this.last = row.replicas;
    }
    return row;
  }
}
