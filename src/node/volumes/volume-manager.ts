// The node's volume manager: materializes a pod's volumes under its directory before containers
// start, rewrites configMap/secret/projected files atomically when their objects change, and
// unmounts and removes them when the pod is gone.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Pod, Volume } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { writeAtomic, type Payload } from './atomic-writer.js';
import { setUpEmptyDir, unmountBelow, type EmptyDirSource } from './empty-dir.js';
import { VolumeSetUpError, failedMountMessage } from './errors.js';
import { checkHostPath } from './host-path.js';
import {
  DEFAULT_MODE,
  downwardApiPayload,
  fetchSource,
  objectPayload,
  projectedPayload,
  type DownwardApiFile,
  type ObjectVolumeSource,
  type PayloadContext,
  type ProjectedSource,
} from './payload.js';

/** A volume that could not be set up: the pod waits, a FailedMount event says why. */
export class VolumeMountFailure extends Error {
  readonly code = 'FailedMount';
  constructor(
    readonly volume: string,
    cause: Error,
  ) {
    super(failedMountMessage(volume, cause), { cause });
  }
}

export interface VolumeManagerDeps {
  log: Logger;
  /** The pod's directory; volumes go to <podDir>/.volumes/kubernetes.io~<plugin>/<name>. */
  podDir(uid: string): string;
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  nodeName(): string;
  hostIPs: string[];
  nodeAllocatable(): Record<string, string>;
  /** Delay between an object change and the rewrite (the kubelet syncs every ~60 s). */
  resyncDelayMs?: number;
}

const PLUGINS: Record<string, string> = {
  emptyDir: 'empty-dir',
  configMap: 'configmap',
  secret: 'secret',
  downwardAPI: 'downward-api',
  projected: 'projected',
};

interface PodVolumes {
  pod: Pod;
  podIPs: string[];
  paths: Map<string, string>;
}

/** Sets up, updates and tears down the volumes of the pods on this node. */
export class VolumeManager {
  private readonly pods = new Map<string, PodVolumes>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: VolumeManagerDeps) {}

  /** Where a volume of a pod lives on the node. */
  volumeDir(uid: string, plugin: string, name: string): string {
    return path.join(this.deps.podDir(uid), '.volumes', `kubernetes.io~${plugin}`, name);
  }

  /** Sets up every volume of `pod` (idempotent); volume name → host path. */
  async setUpPod(pod: Pod, podIPs: string[]): Promise<Map<string, string>> {
    const uid = pod.metadata.uid ?? '';
    const paths = new Map<string, string>();
    for (const volume of pod.spec?.volumes ?? []) {
      const name = volume.name ?? '';
      try {
        paths.set(name, await this.setUpVolume(pod, podIPs, volume));
      } catch (err) {
        if (err instanceof VolumeSetUpError) {
          throw new VolumeMountFailure(name, err);
        }
        throw err;
      }
    }
    this.pods.set(uid, { pod, podIPs, paths });
    return paths;
  }

  private async setUpVolume(pod: Pod, podIPs: string[], volume: Volume): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const name = volume.name ?? '';
    if (volume.hostPath) {
      const src = volume.hostPath as { path?: string; type?: string };
      await checkHostPath(src.path ?? '', src.type);
      return src.path ?? '';
    }
    const kind = Object.keys(PLUGINS).find((k) => volume[k] !== undefined);
    if (!kind) {
      const type = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
      throw new VolumeSetUpError(`kubeproc cannot mount ${type} volumes`);
    }
    const dir = this.volumeDir(uid, PLUGINS[kind] ?? kind, name);
    if (kind === 'emptyDir') {
      await setUpEmptyDir(dir, volume.emptyDir as EmptyDirSource, pod);
      return dir;
    }
    const payload = await this.payloadOf(pod, podIPs, volume);
    await writeAtomic(dir, payload);
    return dir;
  }

  private async payloadOf(pod: Pod, podIPs: string[], volume: Volume): Promise<Payload> {
    const ctx: PayloadContext = {
      pod,
      getConfigMap: (ns, name) => this.deps.getConfigMap(ns, name),
      getSecret: (ns, name) => this.deps.getSecret(ns, name),
      fieldRef: { nodeName: this.deps.nodeName(), hostIPs: this.deps.hostIPs, podIPs },
      nodeAllocatable: this.deps.nodeAllocatable(),
      onSkipped: (what) =>
        this.deps.log.info({ pod: pod.metadata.name, what }, 'projected source not supported'),
    };
    for (const kind of ['configMap', 'secret'] as const) {
      const src = volume[kind] as ObjectVolumeSource | undefined;
      if (src) {
        const k = kind === 'configMap' ? 'configmap' : 'secret';
        const obj = await fetchSource(k, src, ctx);
        return objectPayload(k, src, obj, src.defaultMode ?? DEFAULT_MODE);
      }
    }
    if (volume.downwardAPI) {
      const src = volume.downwardAPI as { items?: DownwardApiFile[]; defaultMode?: number };
      return downwardApiPayload(src.items ?? [], src.defaultMode ?? DEFAULT_MODE, ctx);
    }
    return projectedPayload(
      volume.projected as { sources?: ProjectedSource[]; defaultMode?: number },
      ctx,
    );
  }

  /** A ConfigMap or Secret changed (informer event): rewrite the volumes that project it. */
  objectChanged(kind: 'configmap' | 'secret', obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    for (const [uid, entry] of this.pods) {
      if (entry.pod.metadata.namespace !== ns || !referencesObject(entry.pod, kind, name)) {
        continue;
      }
      if (this.pending.has(uid)) {
        continue;
      }
      const timer = setTimeout(() => {
        this.pending.delete(uid);
        void this.resync(uid);
      }, this.deps.resyncDelayMs ?? 200);
      timer.unref();
      this.pending.set(uid, timer);
    }
  }

  private async resync(uid: string): Promise<void> {
    const entry = this.pods.get(uid);
    if (!entry) {
      return;
    }
    for (const volume of entry.pod.spec?.volumes ?? []) {
      if (!volume.configMap && !volume.secret && !volume.projected) {
        continue;
      }
      try {
        const payload = await this.payloadOf(entry.pod, entry.podIPs, volume);
        const dir = entry.paths.get(volume.name ?? '');
        if (dir !== undefined && this.pods.has(uid)) {
          await writeAtomic(dir, payload);
        }
      } catch (err) {
        // The kubelet keeps the last good files when an update cannot be applied.
        this.deps.log.warn({ err, uid, volume: volume.name }, 'volume update failed');
      }
    }
  }

  /** Unmounts (tmpfs first) and removes every volume of a pod; its containers must be gone. */
  async tearDownPod(uid: string): Promise<void> {
    this.pods.delete(uid);
    clearTimeout(this.pending.get(uid));
    this.pending.delete(uid);
    const dir = path.join(this.deps.podDir(uid), '.volumes');
    await unmountBelow(this.deps.podDir(uid));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Does the pod's spec project this ConfigMap or Secret into a volume? */
export function referencesObject(pod: Pod, kind: 'configmap' | 'secret', name: string): boolean {
  const named = (src: unknown): boolean => {
    const s = src as ObjectVolumeSource | undefined;
    return s !== undefined && (kind === 'configmap' ? s.name : (s.secretName ?? s.name)) === name;
  };
  const field = kind === 'configmap' ? 'configMap' : 'secret';
  return (pod.spec?.volumes ?? []).some((v) => {
    if (named(v[field])) {
      return true;
    }
    const sources = (v.projected as { sources?: ProjectedSource[] } | undefined)?.sources ?? [];
    return sources.some((s) => named(s[field]));
  });
}
