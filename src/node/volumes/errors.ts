// Volume errors: a SetUp failure carries the text after `MountVolume.SetUp failed for volume "x" : `.

/** A volume that cannot be set up (yet); the pod waits and the node retries. */
export class VolumeSetUpError extends Error {
  readonly code = 'VolumeSetUpFailed';
}

/** The kubelet's FailedMount event message for one volume. */
export function failedMountMessage(volume: string, err: Error): string {
  return `MountVolume.SetUp failed for volume "${volume}" : ${err.message}`;
}
