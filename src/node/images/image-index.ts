// The registered images a node agent knows, looked up by a container's image reference in any
// of its equal forms (`busybox`, `docker.io/library/busybox:latest`). Fed by an Image informer.
import type { KubeObject } from '../../apis/meta.js';
import { checkImageReference, formatImageReference } from '../../apis/kubeproc/reference.js';
import type { ImageEnvVar, ImageSpec } from '../../apis/kubeproc/types.js';
import type { EventHandler } from '../../client/informer.js';

interface Entry {
  name: string;
  spec: ImageSpec;
}

const words = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string') : undefined;

function envOf(value: unknown): ImageEnvVar[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.flatMap((e: { name?: unknown; value?: unknown } | null) =>
    typeof e?.name === 'string'
      ? [{ name: e.name, value: typeof e.value === 'string' ? e.value : '' }]
      : [],
  );
}

/** The spec of an Image object with its reference in canonical form; undefined if unusable. */
export function imageSpecOf(obj: KubeObject): ImageSpec | undefined {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const { ref } = checkImageReference(typeof spec.image === 'string' ? spec.image : '');
  if (!ref) {
    return undefined;
  }
  const out: ImageSpec = { image: formatImageReference(ref) };
  const entrypoint = words(spec.entrypoint);
  const cmd = words(spec.cmd);
  const env = envOf(spec.env);
  if (entrypoint) {
    out.entrypoint = entrypoint;
  }
  if (cmd) {
    out.cmd = cmd;
  }
  if (typeof spec.workingDir === 'string' && spec.workingDir !== '') {
    out.workingDir = spec.workingDir;
  }
  if (env) {
    out.env = env;
  }
  return out;
}

/** Images by canonical reference; implements an informer EventHandler. */
export class ImageIndex implements EventHandler {
  private readonly byReference = new Map<string, Entry>();
  private readonly referenceByName = new Map<string, string>();

  constructor(images: Iterable<KubeObject> = []) {
    for (const obj of images) {
      this.set(obj);
    }
  }

  /** The registered image for a container's image reference; never mutate it. */
  lookup(image: string): ImageSpec | undefined {
    const { ref } = checkImageReference(image);
    return ref && this.byReference.get(formatImageReference(ref))?.spec;
  }

  get size(): number {
    return this.byReference.size;
  }

  /** Adds or replaces an Image object. */
  set(obj: KubeObject): void {
    const name = obj.metadata.name ?? '';
    this.remove(name);
    const spec = imageSpecOf(obj);
    if (spec) {
      this.byReference.set(spec.image, { name, spec });
      this.referenceByName.set(name, spec.image);
    }
  }

  /** Forgets the Image object with this name. */
  remove(name: string): void {
    const reference = this.referenceByName.get(name);
    this.referenceByName.delete(name);
    // Names derive from references, so two objects never share one; still, only drop our own.
    if (reference !== undefined && this.byReference.get(reference)?.name === name) {
      this.byReference.delete(reference);
    }
  }

  onAdd(obj: KubeObject): void {
    this.set(obj);
  }

  onUpdate(_old: KubeObject, obj: KubeObject): void {
    this.set(obj);
  }

  onDelete(obj: KubeObject): void {
    this.remove(obj.metadata.name ?? '');
  }
}
