// Pod volumes on this node: materialization, atomic updates, and per-container mount plans.
export {
  writeAtomic,
  validatePayloadPath,
  type Payload,
  type FileProjection,
} from './atomic-writer.js';
export { VolumeSetUpError, failedMountMessage } from './errors.js';
export { checkHostPath } from './host-path.js';
export { memoryVolumeSize, mountPoints, unmountBelow } from './empty-dir.js';
export {
  buildMountPlan,
  MountPlanError,
  type ExtraBind,
  type MountPlanOptions,
} from './mount-plan.js';
export {
  VolumeManager,
  VolumeMountFailure,
  referencesObject,
  type VolumeManagerDeps,
} from './volume-manager.js';
export { TopLevelDirs, topLevelNames, MOUNT_POINT_REGISTRY } from './top-level-dirs.js';
