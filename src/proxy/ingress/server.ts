// The ingress' HTTP and HTTPS listeners: route each request by host and path, redirect to HTTPS
// where the host has TLS, answer 404 (no rule) or 503 (no backend) in one line, and hand
// everything else, upgrades included, to the forwarders. Connections come from its own listeners
// or, in an ingress worker, from kubeproc through accept().
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Server as NetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { PickerRegistry } from '../backends/pickers.js';
import type { ServiceLookup } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import type { HttpForwarder } from '../http/forwarder.js';
import { clientIpOf, RequestIds, upstreamHeaders } from '../http/headers.js';
import { sendText } from '../http/respond.js';
import { rejectSocket } from '../http/upgrade.js';
import type { UpgradeForwarder } from '../http/upgrade.js';
import type { KeyPair } from './default-cert.js';
import { normalizeHost } from './host.js';
import { bind, handoffListener } from './listeners.js';
import type { ConnectionHandoff, Proto } from './listeners.js';
import { Router } from './router.js';
import type { Route } from './router.js';
import { resolveRoute } from './targets.js';
import type { TlsStore } from './tls-store.js';

export const NO_RULE_TEXT = 'default backend - 404';

export interface IngressServerDeps {
  catalog: ServiceLookup;
  pickers: PickerRegistry;
  forwarder: HttpForwarder;
  upgrades: UpgradeForwarder;
  tls: TlsStore;
  limits: ProxyLimits;
  log: Logger;
  /** Set when ingress workers serve: the listeners hand their connections to it. */
  handoff?: ConnectionHandoff;
}

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

export class IngressServer {
  private router = Router.build([]);
  private readonly listeners: NetServer[] = [];
  private readonly servers = new Map<Proto, Server>();
  /** Servers fed only by accept() that were told they listen. */
  private readonly fed = new WeakSet<Server>();
  private readonly ids = new RequestIds();
  httpPort: number | undefined;
  httpsPort: number | undefined;

  constructor(private readonly deps: IngressServerDeps) {}

  setRouter(router: Router): void {
    this.router = router;
  }

  /** Starts the HTTP listener; resolves with its port. */
  async listenHttp(address: string, port: number | undefined): Promise<number> {
    this.httpPort = await this.listen(this.serverFor('http'), 'http', address, port);
    return this.httpPort;
  }

  /** Starts the HTTPS listener (SNI from the TLS store, cert the default); resolves with its port. */
  async listenHttps(address: string, port: number | undefined, cert: KeyPair): Promise<number> {
    this.httpsPort = await this.listen(this.serverFor('https', cert), 'https', address, port);
    this.deps.handoff?.httpsOpened(this.httpsPort, cert);
    return this.httpsPort;
  }

  /** Serves HTTPS on connections handed in by accept() (a worker); port is kubeproc's. */
  serveHttps(port: number, cert: KeyPair): void {
    this.serverFor('https', cert);
    this.httpsPort = port;
  }

  /**
   * Serves a connection accepted elsewhere (handed over by kubeproc, or declined by the workers).
   * Node starts its connection tracking (headersTimeout, closeAllConnections) when a server
   * emits 'listening'; a server fed only this way never listens, so it is told once.
   */
  accept(socket: Socket, proto: Proto): void {
    const server = proto === 'http' ? this.serverFor('http') : this.servers.get(proto);
    if (!server) {
      socket.destroy();
      return;
    }
    if (!server.listening && !this.fed.has(server)) {
      this.fed.add(server);
      server.emit('listening');
    }
    server.emit('connection', socket);
    // A socket accepted with pauseOnConnect (or handed over) reads nothing until resumed.
    socket.resume();
  }

  /** Closes the listeners and every client connection. */
  async close(): Promise<void> {
    const closing = [...new Set<NetServer>([...this.listeners, ...this.servers.values()])].map(
      (s) => new Promise<void>((resolve) => s.close(() => resolve())),
    );
    for (const server of this.servers.values()) {
      server.closeAllConnections();
    }
    await Promise.all(closing);
  }

  private serverFor(proto: Proto, cert?: KeyPair): Server {
    let server = this.servers.get(proto);
    if (server) {
      return server;
    }
    if (proto === 'https' && !cert) {
      throw new Error('ingress: HTTPS needs a certificate');
    }
    server = cert
      ? createTlsServer(
          {
            cert: cert.certPem,
            key: cert.keyPem,
            SNICallback: (name, cb) => cb(null, this.deps.tls.contextFor(name)),
          },
          (req, res) => this.handle(req, res, 'https'),
        )
      : createServer((req, res) => this.handle(req, res, 'http'));
    server.keepAliveTimeout = this.deps.limits.clientKeepAliveMs;
    server.headersTimeout = 60_000;
    // Long uploads and downloads are bounded by the backend read timeout, not a total.
    server.requestTimeout = 0;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head, proto),
    );
    this.servers.set(proto, server);
    return server;
  }

  private async listen(server: Server, proto: Proto, address: string, port: number | undefined) {
    const handoff = this.deps.handoff;
    const listener = handoff
      ? handoffListener(handoff, proto, (socket) => this.accept(socket, proto))
      : server;
    const defaultPort = proto === 'http' ? 80 : 443;
    const bound = await bind(listener, address, port ?? defaultPort, port !== undefined);
    this.listeners.push(listener);
    return bound;
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
