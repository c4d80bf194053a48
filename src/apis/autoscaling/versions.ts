// The served versions of horizontalpodautoscalers.autoscaling, preferred first, each converting to
// and from the autoscaling/v2 storage version.
import type { VersionInfo } from '../resource-type.js';
import { hpaV1ToV2, hpaV2ToV1 } from './convert-v1.js';
import { hpaSameShape, hpaV2ToV2beta1, hpaV2beta1ToV2 } from './convert-v2beta1.js';
import { STORAGE_API_VERSION } from './types.js';

/** The Warning Kubernetes sends for a deprecated API version (pkg/endpoints/deprecation). */
function deprecated(version: string, deprecatedIn: string, removedIn: string): string {
  return `autoscaling/${version} HorizontalPodAutoscaler is deprecated in v${deprecatedIn}+, unavailable in v${removedIn}+; use autoscaling/v2 HorizontalPodAutoscaler`;
}

/** autoscaling v2 (storage), v1, v2beta2, v2beta1. */
export const hpaVersions: VersionInfo[] = [
  {
    version: 'v2',
    toStorage: hpaSameShape(STORAGE_API_VERSION),
    fromStorage: hpaSameShape(STORAGE_API_VERSION),
  },
  { version: 'v1', toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
  {
    version: 'v2beta2',
    toStorage: hpaSameShape(STORAGE_API_VERSION),
    fromStorage: hpaSameShape('autoscaling/v2beta2'),
    deprecationWarning: deprecated('v2beta2', '1.23', '1.26'),
  },
  {
    version: 'v2beta1',
    toStorage: hpaV2beta1ToV2,
    fromStorage: hpaV2ToV2beta1,
    deprecationWarning: deprecated('v2beta1', '1.22', '1.25'),
  },
];
