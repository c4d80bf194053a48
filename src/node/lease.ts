// The node's heartbeat: a Lease kube-node-lease/<node> renewed every few seconds (upstream
// component-helpers/apimachinery/lease/controller.go as the kubelet configures it).
import type { Logger } from 'pino';
import type { KubeObject, OwnerReference } from '../apis/meta.js';
import { formatMicroTime } from '../apis/meta.js';
import type { Client } from '../client/client.js';
import { LEASES, NODES } from '../client/resources.js';
import type { Clock } from '../lib/clock.js';
import { isConflict, isNotFound } from '../lib/errors.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's nodeLeaseDurationSeconds default; it renews at a quarter of it. */
export const DEFAULT_LEASE_DURATION_SECONDS = 40;
const MAX_UPDATE_RETRIES = 5;

export interface NodeLeaseDeps {
  client: Client;
  log: Logger;
  clock: Clock;
  nodeName: string;
  leaseDurationSeconds: number;
}

/** The Lease a node holds, owned by its Node when the Node's uid is known. */
export function newNodeLease(
  nodeName: string,
  durationSeconds: number,
  now: Date,
  owner?: OwnerReference,
): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(owner ? { ownerReferences: [owner] } : {}),
    },
    spec: {
      holderIdentity: nodeName,
      leaseDurationSeconds: durationSeconds,
      renewTime: formatMicroTime(now),
    },
  };
}

/** Creates the node Lease if missing and moves its renewTime to now. */
export class NodeLease {
  /** The Lease as last written: renewing it needs no GET while nobody else writes it. */
  private latest: KubeObject | undefined;

  constructor(private readonly deps: NodeLeaseDeps) {}

  /** One renewal; throws when the API could not be reached or refused every attempt. */
  async renew(): Promise<void> {
    if (this.latest) {
      try {
        this.latest = await this.update(this.latest);
        return;
      } catch (err) {
        // Someone else wrote or deleted it: fall back to reading it again.
        this.deps.log.debug({ err }, 'optimistic lease renewal failed');
        this.latest = undefined;
      }
    }
    let lease = await this.ensure();
    if (lease === undefined) {
      return; // Just created with a fresh renewTime.
    }
    for (let attempt = 1; ; attempt++) {
      try {
        this.latest = await this.update(lease);
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= MAX_UPDATE_RETRIES) {
          throw err;
        }
        lease = await this.deps.client.get(LEASES, NODE_LEASE_NAMESPACE, this.deps.nodeName);
      }
    }
  }

  /** The stored Lease, or undefined after creating it (then it is already renewed). */
  private async ensure(): Promise<KubeObject | undefined> {
    const { client, nodeName } = this.deps;
    try {
      return await client.get(LEASES, NODE_LEASE_NAMESPACE, nodeName);
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
    const lease = newNodeLease(
      nodeName,
      this.deps.leaseDurationSeconds,
      this.deps.clock.now(),
      await this.nodeOwner(),
    );
    this.latest = await client.create(LEASES, lease);
    return undefined;
  }

  private async update(base: KubeObject): Promise<KubeObject> {
    const next = structuredClone(base);
    next.spec = {
      ...(next.spec as Record<string, unknown>),
      holderIdentity: this.deps.nodeName,
      leaseDurationSeconds: this.deps.leaseDurationSeconds,
      renewTime: formatMicroTime(this.deps.clock.now()),
    };
    if (!next.metadata.ownerReferences?.length) {
      const owner = await this.nodeOwner();
      if (owner) {
        next.metadata.ownerReferences = [owner];
      }
    }
    return this.deps.client.update(LEASES, next);
  }

  /** The ownerReference to this node (setNodeOwnerFunc); none while the Node is missing. */
  private async nodeOwner(): Promise<OwnerReference | undefined> {
    try {
      const node = await this.deps.client.get(NODES, '', this.deps.nodeName);
      return {
        apiVersion: 'v1',
        kind: 'Node',
        name: this.deps.nodeName,
        uid: node.metadata.uid ?? '',
      };
    } catch (err) {
      if (isNotFound(err)) {
        return undefined;
      }
      throw err;
    }
  }
}
