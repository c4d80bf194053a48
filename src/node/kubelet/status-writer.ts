// The status manager of one pod: writes the kubelet's view of the status when it changes (a merge
// patch of pods/status), never moves a terminal phase back, and tolerates a pod that is gone.
import type { Logger } from 'pino';
import type { Pod } from '../../apis/core/v1/types.js';
import type { Client } from '../../client/client.js';
import { PODS } from '../../client/resources.js';

export class StatusWriter {
  private last = '';
  private lastPhase: string | undefined;

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
    private pod: Pod,
  ) {
    this.lastPhase = pod.status?.phase as string | undefined;
  }

  setPod(pod: Pod): void {
    this.pod = pod;
  }

  /** The phase last written (or found on the pod). */
  get phase(): string | undefined {
    return this.lastPhase;
  }

  async write(status: Record<string, unknown>): Promise<void> {
    if (this.lastPhase === 'Succeeded' || this.lastPhase === 'Failed') {
      status.phase = this.lastPhase;
    }
    const text = JSON.stringify(status);
    if (text === this.last) {
      return;
    }
    const { namespace = '', name = '' } = this.pod.metadata;
    try {
      await this.client.patch(
        PODS,
        namespace,
        name,
        'merge',
        { status },
        { subresource: 'status' },
      );
      this.last = text;
      this.lastPhase = status.phase as string;
    } catch (err) {
      if ((err as { code?: number }).code === 404) {
        return;
      }
      this.log.warn({ err, pod: `${namespace}/${name}` }, 'writing pod status failed');
      throw err;
    }
  }
}
