// The error a container's config cannot be built with: the kubelet reports it as the waiting
// reason CreateContainerConfigError with the message unchanged (kuberuntime startContainer).

/** Thrown with upstream's message, e.g. `configmap "x" not found`. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  /** Same as `reason`: the house-style stable code. */
  readonly code = 'CreateContainerConfigError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContainerConfigError';
  }
}
