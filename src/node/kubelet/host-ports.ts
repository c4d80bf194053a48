// Host network mode (ADR 0005): every declared containerPort gets a free host port, recorded on
// the pod as the kubeproc.io/port-map annotation and given to the process as PORT / PORT_<NAME>.
import { createServer } from 'node:net';
import type { Container, Pod } from '../../apis/core/v1/types.js';

export const PORT_MAP_ANNOTATION = 'kubeproc.io/port-map';

/** containerPort -> host port. */
export type PortMap = Record<string, number>;

/** The map recorded on the pod, or undefined when there is none (or it is unreadable). */
export function recordedPortMap(pod: Pod): PortMap | undefined {
  const text = pod.metadata.annotations?.[PORT_MAP_ANNOTATION];
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as PortMap) : undefined;
  } catch {
    return undefined;
  }
}

/** Every containerPort the pod declares (init containers included), TCP or UDP. */
export function declaredPorts(pod: Pod): number[] {
  const ports = new Set<number>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.containerPort !== undefined) {
        ports.add(p.containerPort);
      }
    }
  }
  return [...ports];
}

/** A port nothing listens on now (the kernel picks it); racy by nature, as any free-port search. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Completes a port map: keeps recorded ports, gives each new containerPort a free host port. */
export async function allocatePorts(pod: Pod, recorded: PortMap = {}): Promise<PortMap> {
  const map: PortMap = { ...recorded };
  for (const port of declaredPorts(pod)) {
    const key = String(port);
    if (map[key] === undefined) {
      map[key] = await freePort();
    }
  }
  return map;
}

/** PORT (the container's first port) and PORT_<NAME> (each named port) as the process sees them. */
export function portEnv(container: Container, map: PortMap): Record<string, string> {
  const env: Record<string, string> = {};
  const ports = container.ports ?? [];
  const first = ports[0]?.containerPort;
  if (first !== undefined && map[String(first)] !== undefined) {
    env.PORT = String(map[String(first)]);
  }
  for (const p of ports) {
    const host = p.containerPort === undefined ? undefined : map[String(p.containerPort)];
    if (p.name && host !== undefined) {
      env[`PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(host);
    }
  }
  return env;
}
