// Registry of per-kind strategies (`<group>/<Kind>`) and multi-version conversions
// (`<group>/<resource>`), filled from the group packages.
import { appsV1Strategies } from './apps/v1/strategies.js';
import { autoscalingStrategies } from './autoscaling/strategies.js';
import { hpaVersions } from './autoscaling/versions.js';
import { coordinationStrategies } from './coordination/strategies.js';
import { coreV1Strategies } from './core/v1/strategies.js';
import { discoveryStrategies } from './discovery/strategies.js';
import { eventsStrategies } from './events/strategies.js';
import { eventsV1Versions } from './events/versions.js';
import { kubeprocStrategies } from './kubeproc/strategies.js';
import { networkingStrategies } from './networking/strategies.js';
import { policyStrategies } from './policy/strategies.js';
import type { KindStrategy, VersionInfo } from './resource-type.js';

function prefixed(
  group: string,
  byKind: Record<string, KindStrategy>,
  validatesMetadata = false,
): [string, KindStrategy][] {
  return Object.entries(byKind).map(([kind, s]) => [
    `${group}/${kind}`,
    { ...s, validatesMetadata },
  ]);
}

export const strategies: Record<string, KindStrategy> = Object.fromEntries([
  // The core and apps strategies check metadata themselves, with upstream's per-kind name rules.
  ...prefixed('', coreV1Strategies, true),
  ...prefixed('apps', appsV1Strategies, true),
  ...prefixed('autoscaling', autoscalingStrategies),
  ...prefixed('networking.k8s.io', networkingStrategies),
  ...prefixed('policy', policyStrategies),
  ...prefixed('discovery.k8s.io', discoveryStrategies),
  ...prefixed('events.k8s.io', eventsStrategies),
  ...prefixed('coordination.k8s.io', coordinationStrategies),
  ...prefixed('kubeproc.io', kubeprocStrategies),
]);

export const extraVersions: Record<string, VersionInfo[] | undefined> = {
  'autoscaling/horizontalpodautoscalers': hpaVersions,
  'events.k8s.io/events': eventsV1Versions,
};
