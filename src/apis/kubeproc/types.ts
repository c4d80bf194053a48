// The kubeproc.io/v1alpha1 Image kind: a container image name registered as a local command,
// with Docker's image config fields (Entrypoint, Cmd, WorkingDir, Env).
import type { KubeObject } from '../meta.js';

export const IMAGE_GROUP = 'kubeproc.io';
export const IMAGE_VERSION = 'v1alpha1';
export const IMAGE_RESOURCE = 'images';
export const IMAGE_KIND = 'Image';
export const IMAGE_API_VERSION = `${IMAGE_GROUP}/${IMAGE_VERSION}`;

/** Where Images are served; the shape of client/ResourceRef, which apis/ may not import. */
export const IMAGES_REF = {
  group: IMAGE_GROUP,
  version: IMAGE_VERSION,
  resource: IMAGE_RESOURCE,
} as const;

export interface ImageEnvVar {
  name: string;
  value: string;
}

export interface ImageSpec {
  /**
   * The image reference in any of its equal forms (`busybox`, `docker.io/library/busybox:latest`);
   * metadata.name derives from its normalized form. `kubeproc image add` writes the normalized one.
   */
  image: string;
  /** Replaced by a container's `command`. */
  entrypoint?: string[];
  /** Replaced by a container's `args`; dropped when the container sets `command`. */
  cmd?: string[];
  /** An absolute path; a container's `workingDir` wins. */
  workingDir?: string;
  /** Set under the container's env: a container variable of the same name wins. */
  env?: ImageEnvVar[];
}

export interface Image extends KubeObject {
  spec: ImageSpec;
}
