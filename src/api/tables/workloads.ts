// Table printers for workload controllers: deployments (READY x/y), replica sets, jobs (STATUS,
// COMPLETIONS, DURATION), cron jobs and pod disruption budgets.
import type { KubeObject, LabelSelector } from '../../apis/meta.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import {
  age,
  ageColumn,
  column,
  containerColumns,
  formatLabelSelector,
  layoutContainers,
  nameColumn,
  nameOf,
  printer,
  selectorString,
  wideColumn,
} from './common.js';

interface PodTemplate {
  spec?: { containers?: { name?: string; image?: string }[] };
}

interface Deployment extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

// spec.replicas is always set on stored objects (apps/v1 defaults it to 1); the fallback only
// matters for objects that skipped defaulting.
const DEFAULT_REPLICAS = 1;

function deploymentCells(obj: KubeObject, now: Date): unknown[] {
  const d = obj as Deployment;
  const status = d.status ?? {};
  const [containers, images] = layoutContainers(d.spec?.template?.spec?.containers);
  return [
    nameOf(d),
    `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? DEFAULT_REPLICAS}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    age(d, now),
    containers,
    images,
    selectorString(d.spec?.selector) ?? '<invalid>',
  ];
}

/** Printer for `deployments.apps`. */
export const deploymentPrinter = printer(
  [
    nameColumn(),
    column('Ready', 'string', 'Ready pods out of desired pods.'),
    column('Up-to-date', 'string', 'Pods running the latest template.'),
    column('Available', 'string', 'Pods available to serve.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'string', 'Label selector of the managed pods.'),
  ],
  deploymentCells,
);

function replicaSetCells(obj: KubeObject, now: Date): unknown[] {
  const rs = obj as Deployment;
  const [containers, images] = layoutContainers(rs.spec?.template?.spec?.containers);
  return [
    nameOf(rs),
    rs.spec?.replicas ?? DEFAULT_REPLICAS,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    age(rs, now),
    containers,
    images,
    formatLabelSelector(rs.spec?.selector),
  ];
}

/** Printer for `replicasets.apps`. */
export const replicaSetPrinter = printer(
  [
    nameColumn(),
    column('Desired', 'integer', 'Desired number of pods.'),
    column('Current', 'integer', 'Number of pods that exist.'),
    column('Ready', 'integer', 'Number of ready pods.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'string', 'Label selector of the managed pods.'),
  ],
  replicaSetCells,
);

interface Job extends KubeObject {
  spec?: {
    completions?: number | null;
    parallelism?: number | null;
    selector?: LabelSelector;
    template?: PodTemplate;
  };
  status?: {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status?: string }[];
  };
}

function jobStatus(job: Job): string {
  const isTrue = (type: string): boolean =>
    job.status?.conditions?.find((c) => c.type === type)?.status === 'True';
  if (isTrue('Complete')) {
    return 'Complete';
  }
  if (isTrue('Failed')) {
    return 'Failed';
  }
  if (job.metadata.deletionTimestamp) {
    return 'Terminating';
  }
  if (isTrue('Suspended')) {
    return 'Suspended';
  }
  return isTrue('FailureTarget') ? 'FailureTarget' : 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions != null) {
    return `${succeeded}/${job.spec.completions}`;
  }
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) {
    return '';
  }
  const end = parseTime(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

function jobCells(obj: KubeObject, now: Date): unknown[] {
  const job = obj as Job;
  const [containers, images] = layoutContainers(job.spec?.template?.spec?.containers);
  return [
    nameOf(job),
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job, now),
    containers,
    images,
    formatLabelSelector(job.spec?.selector),
  ];
}

/** Printer for `jobs.batch`. */
export const jobPrinter = printer(
  [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'Succeeded pods out of required completions.'),
    column('Duration', 'string', 'Time the job took, or has been running.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'string', 'Label selector of the job pods.'),
  ],
  jobCells,
);

interface CronJob extends KubeObject {
  spec?: {
    schedule?: string;
    timeZone?: string | null;
    suspend?: boolean | null;
    jobTemplate?: { spec?: { selector?: LabelSelector; template?: PodTemplate } };
  };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

function boolPtr(value: boolean | null | undefined): string {
  if (value == null) {
    return '<unset>';
  }
  return value ? 'True' : 'False';
}

function lastSchedule(cj: CronJob, now: Date): string {
  const last = cj.status?.lastScheduleTime;
  return last ? translateTimestampSince(last, now) : '<none>';
}

function cronJobCells(obj: KubeObject, now: Date): unknown[] {
  const cj = obj as CronJob;
  const spec = cj.spec ?? {};
  const jobSpec = spec.jobTemplate?.spec;
  const [containers, images] = layoutContainers(jobSpec?.template?.spec?.containers);
  return [
    nameOf(cj),
    spec.schedule ?? '',
    spec.timeZone ?? '<none>',
    boolPtr(spec.suspend),
    (cj.status?.active ?? []).length,
    lastSchedule(cj, now),
    age(cj, now),
    containers,
    images,
    formatLabelSelector(jobSpec?.selector),
  ];
}

/** Printer for `cronjobs.batch`. */
export const cronJobPrinter = printer(
  [
    nameColumn(),
    column('Schedule', 'string', 'Cron schedule of the job.'),
    column('Timezone', 'string', 'Time zone of the schedule.'),
    column('Suspend', 'boolean', 'Whether new runs are suspended.'),
    column('Active', 'integer', 'Number of running jobs.'),
    column('Last Schedule', 'string', 'Time since the job was last scheduled.'),
    ageColumn(),
    ...containerColumns(),
    wideColumn('Selector', 'string', 'Label selector of the job pods.'),
  ],
  cronJobCells,
);

interface PodDisruptionBudget extends KubeObject {
  spec?: { minAvailable?: number | string | null; maxUnavailable?: number | string | null };
  status?: { disruptionsAllowed?: number };
}

function intOrString(v: number | string | null | undefined): string {
  return v == null ? 'N/A' : String(v);
}

/** Printer for `poddisruptionbudgets.policy`. */
export const pdbPrinter = printer(
  [
    nameColumn(),
    column('Min Available', 'string', 'Pods that must stay available.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Pods that may be evicted right now.'),
    ageColumn(),
  ],
  (obj, now) => {
    const pdb = obj as PodDisruptionBudget;
    return [
      nameOf(pdb),
      intOrString(pdb.spec?.minAvailable),
      intOrString(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      age(pdb, now),
    ];
  },
);
