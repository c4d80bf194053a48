// The PodDisruptionBudget reconcile: select the pods, count the expected and the healthy ones,
// write status; on failure, fail safe to no disruptions (upstream disruption.go sync, trySync).
import type { Logger } from 'pino';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { splitKey } from '../../client/informer.js';
import type { Lister } from '../../client/informer.js';
import { PDBS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { isConflict } from '../../lib/errors.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import type { SyncResult } from '../common/run-workers.js';
import { expectedPodCount } from './expected-pods.js';
import type { ExpectedPods } from './expected-pods.js';
import type { ControllerFinder } from './finders.js';
import { goLabelSelector } from './go-format.js';
import { buildDisruptedPodMap, countHealthyPods, failSafeStatus, nextStatus } from './status.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from './types.js';

export interface SyncContext {
  client: Client;
  pdbLister: Lister;
  podLister: Lister;
  find: ControllerFinder;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
}

/** Reconciles the PodDisruptionBudget with key; throws to be retried. */
export async function syncPdb(ctx: SyncContext, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const cached = ctx.pdbLister.get(namespace, name);
  if (!cached) {
    return {};
  }
  const pdb: PodDisruptionBudget = {
    ...cached,
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
  };
  try {
    return await trySync(ctx, pdb);
  } catch (err) {
    // A conflict only means a newer version is on its way: retry without failing safe.
    if (isConflict(err)) {
      throw err;
    }
    ctx.log.error({ err, key }, 'Failed to sync PDB');
    await writeStatus(ctx, pdb, failSafeStatus(pdb, messageOf(err), ctx.clock.now()));
    return {};
  }
}

async function trySync(ctx: SyncContext, pdb: PodDisruptionBudget): Promise<SyncResult> {
  const pods = podsForPdb(ctx, pdb);
  if (pods.length === 0) {
    ctx.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
  }
  const expected = await expectedPods(ctx, pdb, pods);
  const now = ctx.clock.now();
  const { disruptedPods, recheckAt, notDeleted } = buildDisruptedPodMap(pods, pdb, now);
  for (const pod of notDeleted) {
    ctx.log.info(
      { pod: pod.metadata.name, pdb: pdb.metadata.name },
      "pod was expected to be deleted but it wasn't, updating PDB",
    );
    // Upstream prints the namespace twice here; kept, since the wording is behaviour.
    const ns = pdb.metadata.namespace ?? '';
    ctx.recorder.event(
      { ...pod, apiVersion: 'v1', kind: 'Pod' },
      'Warning',
      'NotDeleted',
      `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`,
    );
  }
  const status = nextStatus(
    pdb,
    {
      currentHealthy: countHealthyPods(pods, disruptedPods, now),
      desiredHealthy: expected.desiredHealthy,
      expectedPods: expected.expectedCount,
      disruptedPods,
    },
    now,
  );
  if (status) {
    await writeStatus(ctx, pdb, status);
  }
  // The earliest disruptedPods entry expires then: the pod counts as healthy again.
  return recheckAt ? { requeueAfterMs: Math.max(0, recheckAt.getTime() - now.getTime()) } : {};
}

/** The pods in the budget's namespace its selector matches (null matches none, {} all). */
function podsForPdb(ctx: SyncContext, pdb: PodDisruptionBudget): KubeObject[] {
  try {
    const selector = labelSelectorFromObject(pdb.spec?.selector);
    return ctx.podLister
      .list(pdb.metadata.namespace ?? '')
      .filter((pod) => selector.matches(pod.metadata.labels));
  } catch (err) {
    ctx.recorder.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${messageOf(err)}`);
    throw err;
  }
}

async function expectedPods(
  ctx: SyncContext,
  pdb: PodDisruptionBudget,
  pods: KubeObject[],
): Promise<ExpectedPods> {
  let expected: ExpectedPods;
  try {
    expected = await expectedPodCount(pdb, pods, ctx.find);
  } catch (err) {
    ctx.recorder.event(
      pdb,
      'Warning',
      'CalculateExpectedPodCountFailed',
      `Failed to calculate the number of expected pods: ${messageOf(err)}`,
    );
    throw err;
  }
  if (expected.unmanagedPods.length > 0) {
    // Logged and reported, not an error: erroring would hot-loop status writes.
    ctx.log.debug(
      { pods: expected.unmanagedPods },
      'Found unmanaged pods associated with this PDB',
    );
    ctx.recorder.event(
      pdb,
      'Warning',
      'UnmanagedPods',
      `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelector(pdb.spec?.selector)}) were found ` +
        'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
        'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
  }
  return expected;
}

/** UpdateStatus, not retried here: a failure goes back to the queue. */
async function writeStatus(
  ctx: SyncContext,
  pdb: PodDisruptionBudget,
  status: PodDisruptionBudgetStatus,
): Promise<void> {
  await ctx.client.updateStatus(PDBS, { ...structuredClone(pdb), status });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
