// Local images for the node agent: the Image index an informer feeds, and Docker's rules for
// what a container runs.
export { ImageIndex, imageSpecOf } from './image-index.js';
export { isWaiting, resolveContainerCommand } from './resolve.js';
export type { ContainerWaiting, ResolvedCommand } from './resolve.js';
