// Protobuf field table: batch/v1 Job and CronJob.
// Field numbers from k8s.io/api batch/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** batch messages (batch). */
export const batchMessages: MessageTable = {
  Job: 'metadata=1:meta.ObjectMeta spec=2:JobSpec status=3:JobStatus',
  CronJob: 'metadata=1:meta.ObjectMeta spec=2:CronJobSpec status=3:CronJobStatus',
  JobSpec: `
    parallelism=1:int32* completions=2:int32* activeDeadlineSeconds=3:int64*
    selector=4:meta.LabelSelector manualSelector=5:bool* template=6:core.PodTemplateSpec
    backoffLimit=7:int32* ttlSecondsAfterFinished=8:int32* completionMode=9* suspend=10:bool*
    podFailurePolicy=11:PodFailurePolicy backoffLimitPerIndex=12:int32*
    maxFailedIndexes=13:int32* podReplacementPolicy=14* managedBy=15*
    successPolicy=16:SuccessPolicy`,
  JobStatus: `
    conditions=1:JobCondition[] startTime=2:Time completionTime=3:Time active=4:int32
    succeeded=5:int32 failed=6:int32 completedIndexes=7
    uncountedTerminatedPods=8:UncountedTerminatedPods ready=9:int32* failedIndexes=10*
    terminating=11:int32*`,
  CronJobSpec: `
    schedule=1! startingDeadlineSeconds=2:int64* concurrencyPolicy=3 suspend=4:bool*
    jobTemplate=5:JobTemplateSpec successfulJobsHistoryLimit=6:int32*
    failedJobsHistoryLimit=7:int32* timeZone=8*`,
  CronJobStatus: `
    active=1:core.ObjectReference[] lastScheduleTime=4:Time lastSuccessfulTime=5:Time`,
  PodFailurePolicy: 'rules=1:PodFailurePolicyRule[]',
  SuccessPolicy: 'rules=1:SuccessPolicyRule[]',
  JobCondition: `
    type=1! status=2! lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6`,
  UncountedTerminatedPods: 'succeeded=1[] failed=2[]',
  JobTemplateSpec: 'metadata=1:meta.ObjectMeta spec=2:JobSpec',
  PodFailurePolicyRule: `
    action=1! onExitCodes=2:PodFailurePolicyOnExitCodesRequirement
    onPodConditions=3:PodFailurePolicyOnPodConditionsPattern[]`,
  SuccessPolicyRule: 'succeededIndexes=1* succeededCount=2:int32*',
  PodFailurePolicyOnExitCodesRequirement: 'containerName=1* operator=2! values=3:int32[]',
  PodFailurePolicyOnPodConditionsPattern: 'type=1! status=2!',
};
