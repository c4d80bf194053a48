// Strategy of the kubeproc.io group: Image defaulting (the name derived from the reference) and
// validation.
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { asRecord } from '../autoscaling/field.js';
import { imageObjectName } from './object-name.js';
import { checkImageReference } from './reference.js';
import { validateImage } from './validation.js';

/**
 * Names a nameless Image after its reference. spec.image is kept as written: rewriting a value
 * the user set would make every `kubectl apply` report "configured" and make server-side apply
 * conflict with client-side apply. Equal forms still get one name, so they are one Image.
 */
export function defaultImage(obj: KubeObject): void {
  const spec = asRecord(obj.spec);
  if (typeof spec?.image !== 'string' || obj.metadata.name || obj.metadata.generateName) {
    return;
  }
  const { ref } = checkImageReference(spec.image);
  if (ref) {
    obj.metadata.name = imageObjectName(ref);
  }
}

/** Strategies of the kubeproc.io group, keyed by kind. */
export const kubeprocStrategies: Record<string, KindStrategy> = {
  Image: { default: defaultImage, validate: validateImage },
};
