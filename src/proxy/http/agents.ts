// One keep-alive http.Agent per backend (address:port), so connections to a pod are reused
// across requests; idle agents are dropped by sweep() and made again on demand.
import { Agent } from 'node:http';

export class AgentPool {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly idleTimeoutMs: number) {}

  get(backendKey: string): Agent {
    let agent = this.agents.get(backendKey);
    if (!agent) {
      // timeout bounds idle sockets; a backend's Keep-Alive hint shortens it (Node does this).
      agent = new Agent({
        keepAlive: true,
        maxSockets: Infinity,
        maxFreeSockets: 256,
        scheduling: 'lifo',
        timeout: this.idleTimeoutMs,
      });
      this.agents.set(backendKey, agent);
    }
    return agent;
  }

  /** Drops agents with no socket, active or idle. */
  sweep(): void {
    for (const [key, agent] of this.agents) {
      if (Object.keys(agent.sockets).length === 0 && Object.keys(agent.freeSockets).length === 0) {
        agent.destroy();
        this.agents.delete(key);
      }
    }
  }

  /** Closes every connection (shutdown). */
  destroy(): void {
    for (const agent of this.agents.values()) {
      agent.destroy();
    }
    this.agents.clear();
  }
}
