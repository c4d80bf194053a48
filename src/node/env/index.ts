// A container's environment, command and args as the kubelet builds them.
export { ContainerConfigError } from './errors.js';
export { expand, expandContainerCommand, mappingFor, type Mapping } from './expansion.js';
export {
  INVALID_ENV_NAMES_REASON,
  makeEnvironment,
  type EnvSources,
  type InvalidEnvKeys,
  type MakeEnvironmentOptions,
} from './make-environment.js';
export { memoryEnvSources, type MemorySourcesInit } from './memory-sources.js';
export { serviceEnvVars, servicesForPod } from './service-env.js';
