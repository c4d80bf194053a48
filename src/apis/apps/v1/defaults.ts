// apps/v1 defaulting (pkg/apis/apps/v1/defaults.go) plus the pod template defaults every
// workload gets; mutates in place.
import type { KubeObject, LabelSelector } from '../../meta.js';
import { defaultPodSpec } from '../../core/v1/defaults.js';
import type { IntOrString, PodTemplateSpec } from '../../core/v1/types.js';

export interface RollingUpdateDeployment {
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: { type?: string; rollingUpdate?: RollingUpdateDeployment };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

export interface Deployment extends KubeObject {
  spec?: DeploymentSpec;
}

export interface ReplicaSet extends KubeObject {
  spec?: ReplicaSetSpec;
}

function defaultTemplate(spec: { template?: PodTemplateSpec }): void {
  const template = (spec.template ??= {});
  defaultPodSpec((template.spec ??= {}));
}

/** SetDefaults_Deployment: 1 replica, RollingUpdate 25%/25%, history 10, deadline 600s. */
export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec);
}

/** SetDefaults_ReplicaSet: 1 replica, plus the template defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  defaultTemplate(spec);
}
