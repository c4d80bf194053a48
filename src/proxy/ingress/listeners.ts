// Where the ingress' connections come from: its HTTP(S) servers listening themselves (in-process),
// or a plain listener that accepts each connection paused and hands it to an ingress worker,
// serving it here only when no worker can take it.
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import type { KeyPair } from './default-cert.js';

export type Proto = 'http' | 'https';

/** Passes accepted connections to ingress workers (src/proxy/workers). */
export interface ConnectionHandoff {
  /** Hands over a paused socket; false when no worker can take it (it is served here). */
  dispatch(socket: Socket, proto: Proto): boolean;
  /** The HTTPS listener opened: workers need its port (redirects) and the default certificate. */
  httpsOpened(port: number, cert: KeyPair): void;
}

/** Binds server: the wanted port, or for a default port that is taken or forbidden a free one. */
export async function bind(
  server: NetServer,
  address: string,
  port: number,
  isExplicit: boolean,
): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, address, () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : p);
      });
    });
  try {
    return await attempt(port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (isExplicit || !['EADDRINUSE', 'EACCES'].includes(code)) {
      throw new Error(`ingress: cannot listen on ${address}:${port} (${code})`, { cause: err });
    }
    return attempt(0);
  }
}

/** A listener whose connections go to handoff, or to local when it declines them. */
export function handoffListener(
  handoff: ConnectionHandoff,
  proto: Proto,
  local: (socket: Socket) => void,
): NetServer {
  // Paused: not one byte may be read here before the socket moves to a worker.
  return createNetServer({ pauseOnConnect: true }, (socket) => {
    if (!handoff.dispatch(socket, proto)) {
      local(socket);
    }
  });
}
