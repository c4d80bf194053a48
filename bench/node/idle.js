// Phase 3 of the node benchmark: kubeproc's own CPU (utime + stime from /proc/<pid>/stat, as a
// percentage of one core) and RSS with no pods, and with N pods that sit idle, with and without
// a readiness probe every second.
import { sleep } from '../api/processes.js';
import { cpuMeter } from '../controllers/cluster.js';
import { deleteDeploymentPods, deploymentToReady } from './latency.js';
import { machineLoad } from './proc.js';

/** kubeproc's CPU and RSS over `seconds`, with the machine's load average at the end. */
export async function measureKubeproc(ctx, seconds) {
  const meter = cpuMeter(ctx.pid);
  await sleep(seconds * 1000);
  return { ...meter.end(), machine: machineLoad() };
}

/**
 * Runs `replicas` pods of the fixture app (appOpts as appContainer takes) as Deployment `name`,
 * waits until all are Ready plus `settleSeconds`, measures kubeproc for `seconds`, deletes them.
 */
export async function kubeprocWithPods(ctx, { name, replicas, appOpts, settleSeconds, seconds }) {
  const toReady = await deploymentToReady(ctx, name, replicas, appOpts);
  // Let the start-up burst (status writes, first probes, Deployment status) die down.
  await sleep(settleSeconds * 1000);
  const kubeproc = await measureKubeproc(ctx, seconds);
  const deleted = await deleteDeploymentPods(ctx, name);
  return { toReady, kubeproc, ...deleted };
}
