// The demo's closing summary: how long it took, the self-healing and autoscaling it showed, and
// the count of failed requests (the goal is zero).
import type { DemoReport } from './context.js';
import { formatDuration } from './narrator.js';
import type { RequestTally } from './tally.js';

/** The summary lines; `Failed requests: N (of M ...)` is always among them. */
export function summaryLines(report: DemoReport, tally: RequestTally, tookMs: number): string[] {
  const lines = [`The story took ${formatDuration(tookMs)}.`];
  if (report.killedPod !== undefined) {
    const after =
      report.rejoinedAfterMs === undefined
        ? ''
        : `, answering again ${formatDuration(report.rejoinedAfterMs)} after the kill`;
    lines.push(
      `Self-healing: python3 killed in ${report.killedPod}; restarted (RESTARTS ${report.restarts ?? '?'})${after}.`,
    );
  }
  const history = report.replicaHistory;
  if (history.length > 1) {
    const load = report.loadMs === undefined ? '' : `; load for ${formatDuration(report.loadMs)}`;
    const down =
      report.scaleDownMs === undefined
        ? ''
        : `; back at ${history.at(-1)} ${formatDuration(report.scaleDownMs)} after the load stopped`;
    lines.push(
      `Autoscaling: replicas ${history.join(' -> ')} (peak ${Math.max(...history)}${load}${down}).`,
    );
  }
  lines.push(`Failed requests: ${tally.failed} (of ${tally.sent} sent through the Ingress)`);
  for (const error of tally.errors(5)) {
    lines.push(`  ${error}`);
  }
  return lines;
}
