// The ingress' HTTP and HTTPS listeners: route each request by host and path, redirect to HTTPS
// where the host has TLS, answer 404 (no rule) or 503 (no backend) in one line, and hand
// everything else, upgrades included, to the forwarders.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ServiceCatalog } from '../backends/catalog.js';
import type { PickerRegistry } from '../backends/pickers.js';
import type { ProxyLimits } from '../config.js';
import type { HttpForwarder } from '../http/forwarder.js';
import { clientIpOf, RequestIds, upstreamHeaders } from '../http/headers.js';
import { sendText } from '../http/respond.js';
import { rejectSocket } from '../http/upgrade.js';
import type { UpgradeForwarder } from '../http/upgrade.js';
import type { KeyPair } from './default-cert.js';
import { normalizeHost } from './host.js';
import { Router } from './router.js';
import type { Route } from './router.js';
import { resolveRoute } from './targets.js';
import type { TlsStore } from './tls-store.js';

export const NO_RULE_TEXT = 'default backend - 404';

export interface IngressServerDeps {
  catalog: ServiceCatalog;
  pickers: PickerRegistry;
  forwarder: HttpForwarder;
  upgrades: UpgradeForwarder;
  tls: TlsStore;
  limits: ProxyLimits;
  log: Logger;
}

type Proto = 'http' | 'https';

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

/** Binds server: the wanted port, or for a default port that is taken or forbidden a free one. */
async function bind(
  server: Server,
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

export class IngressServer {
  private router = Router.build([]);
  private readonly servers: Server[] = [];
  private readonly ids = new RequestIds();
  httpPort: number | undefined;
  httpsPort: number | undefined;

  constructor(private readonly deps: IngressServerDeps) {}

  setRouter(router: Router): void {
    this.router = router;
  }

  /** Starts the HTTP listener; resolves with its port. */
  async listenHttp(address: string, port: number | undefined): Promise<number> {
    const server = createServer((req, res) => this.handle(req, res, 'http'));
    this.httpPort = await this.start(server, 'http', address, port);
    return this.httpPort;
  }

  /** Starts the HTTPS listener (SNI from the TLS store, cert the default); resolves with its port. */
  async listenHttps(address: string, port: number | undefined, cert: KeyPair): Promise<number> {
    const server = createTlsServer(
      {
        cert: cert.certPem,
        key: cert.keyPem,
        SNICallback: (name, cb) => cb(null, this.deps.tls.contextFor(name)),
      },
      (req, res) => this.handle(req, res, 'https'),
    );
    this.httpsPort = await this.start(server, 'https', address, port);
    return this.httpsPort;
  }

  private async start(server: Server, proto: Proto, address: string, port: number | undefined) {
    server.keepAliveTimeout = this.deps.limits.clientKeepAliveMs;
    server.headersTimeout = 60_000;
    // Long uploads and downloads are bounded by the backend read timeout, not a total.
    server.requestTimeout = 0;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head, proto),
    );
    const defaultPort = proto === 'http' ? 80 : 443;
    const bound = await bind(server, address, port ?? defaultPort, port !== undefined);
    this.servers.push(server);
    return bound;
  }

  /** Closes the listeners and every client connection. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  private route(req: IncomingMessage): Route | undefined {
    return this.router.match(normalizeHost(req.headers.host), pathOf(req.url));
  }

  private redirect(req: IncomingMessage, route: Route, proto: Proto): string | undefined {
    if (proto !== 'http' || !route.sslRedirect || this.httpsPort === undefined) {
      return undefined;
    }
    const host = normalizeHost(req.headers.host);
    const name = host.includes(':') ? `[${host}]` : host;
    const port = this.httpsPort === 443 ? '' : `:${this.httpsPort}`;
    return `https://${name}${port}${req.url ?? '/'}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse, proto: Proto): void {
    const route = this.route(req);
    if (!route) {
      sendText(res, 404, NO_RULE_TEXT);
      return;
    }
    const location = this.redirect(req, route, proto);
    if (location) {
      sendText(res, 308, 'Permanent Redirect', { Location: location });
      return;
    }
    const resolved = resolveRoute(route, this.deps.catalog, this.deps.pickers);
    if ('status' in resolved) {
      sendText(res, resolved.status, resolved.message);
      return;
    }
    const socket = req.socket;
    const { headers } = upstreamHeaders(req, {
      clientIp: clientIpOf(socket.remoteAddress),
      proto,
      port: socket.localPort ?? 0,
      ids: this.ids,
    });
    this.deps.forwarder.forward(req, res, headers, resolved.target).catch((err: unknown) => {
      this.deps.log.error({ err, url: req.url }, 'ingress: forwarding failed');
      res.destroy();
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, proto: Proto): void {
    const route = this.route(req);
    if (!route) {
      rejectSocket(socket, 404, 'Not Found', NO_RULE_TEXT);
      return;
    }
    const resolved = resolveRoute(route, this.deps.catalog, this.deps.pickers);
    if ('status' in resolved) {
      rejectSocket(socket, resolved.status, 'Service Unavailable', resolved.message);
      return;
    }
    const s = socket as Socket;
    const { headers } = upstreamHeaders(
      req,
      { clientIp: clientIpOf(s.remoteAddress), proto, port: s.localPort ?? 0, ids: this.ids },
      true,
    );
    this.deps.upgrades.forward({ req, socket, head, headers, target: resolved.target });
  }
}
