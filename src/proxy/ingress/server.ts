// The ingress' HTTP and HTTPS listeners: route each request by host and path, redirect to HTTPS
// where the host has TLS, answer 404 (no rule) or 503 (no backend) in one line, and hand
// everything else, upgrades included, to the forwarders. Connections come from its own listeners
// or, in an ingress worker, from kubeproc through accept().
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { PickerRegistry } from '../backends/pickers.js';
import type { ServiceLookup } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import type { ClientExchange } from '../http/client-exchange.js';
import type { HttpForwarder } from '../http/forwarder.js';
import { clientIpOf, RequestIds, upstreamHeaders } from '../http/headers.js';
import { Http1Server } from '../http/http1-server.js';
import type { RequestHead } from '../http/request-parser.js';
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

/** node:http's default: a request head must arrive within a minute. */
const HEADERS_TIMEOUT_MS = 60_000;

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

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export class IngressServer {
  private router = Router.build([]);
  private readonly listeners: NetServer[] = [];
  private readonly http1 = new Map<Proto, Http1Server>();
  /** Turns raw TCP into TLS sockets for the HTTPS Http1Server (its own listener, or accept()). */
  private tlsServer: NetServer | undefined;
  private readonly ids = new RequestIds();
  httpPort: number | undefined;
  httpsPort: number | undefined;

  constructor(private readonly deps: IngressServerDeps) {}

  setRouter(router: Router): void {
    this.router = router;
  }

  /** Starts the HTTP listener; resolves with its port. */
  async listenHttp(address: string, port: number | undefined): Promise<number> {
    const http = this.serverFor('http');
    const listener = createNetServer({ allowHalfOpen: true }, (socket) => http.connection(socket));
    this.httpPort = await this.listen(listener, 'http', address, port);
    return this.httpPort;
  }

  /** Starts the HTTPS listener (SNI from the TLS store, cert the default); resolves with its port. */
  async listenHttps(address: string, port: number | undefined, cert: KeyPair): Promise<number> {
    this.httpsPort = await this.listen(this.tlsFor(cert), 'https', address, port);
    this.deps.handoff?.httpsOpened(this.httpsPort, cert);
    return this.httpsPort;
  }

  /** Serves HTTPS on connections handed in by accept() (a worker); port is kubeproc's. */
  serveHttps(port: number, cert: KeyPair): void {
    this.tlsFor(cert);
    this.httpsPort = port;
  }

  /** Serves a connection accepted elsewhere (handed over by kubeproc, or declined by the workers). */
  accept(socket: Socket, proto: Proto): void {
    if (proto === 'http') {
      this.serverFor('http').connection(socket);
    } else if (this.tlsServer) {
      // The TLS server's own connection handling: handshake, SNI, then the HTTPS Http1Server.
      this.tlsServer.emit('connection', socket);
    } else {
      socket.destroy();
      return;
    }
    // A socket accepted with pauseOnConnect (or handed over) reads nothing until resumed.
    socket.resume();
  }

  /** Connections open now, both protocols. */
  get connectionCount(): number {
    let n = 0;
    for (const server of this.http1.values()) {
      n += server.size;
    }
    return n;
  }

  /** Closes the listeners and every client connection. */
  async close(): Promise<void> {
    const closing = this.listeners.map(
      (s) => new Promise<void>((resolve) => s.close(() => resolve())),
    );
    for (const server of this.http1.values()) {
      server.closeAll();
    }
    await Promise.all(closing);
  }

  private serverFor(proto: Proto): Http1Server {
    let server = this.http1.get(proto);
    if (!server) {
      server = new Http1Server({
        keepAliveMs: this.deps.limits.clientKeepAliveMs,
        headersTimeoutMs: HEADERS_TIMEOUT_MS,
        request: (ex) => this.handle(ex, proto),
        upgrade: (head, socket, rest) => this.upgrade(head, socket, rest, proto),
      });
      this.http1.set(proto, server);
    }
    return server;
  }

  private tlsFor(cert: KeyPair): NetServer {
    if (!this.tlsServer) {
      const https = this.serverFor('https');
      this.tlsServer = createTlsServer(
        {
          cert: cert.certPem,
          key: cert.keyPem,
          allowHalfOpen: true,
          ALPNProtocols: ['http/1.1'],
          SNICallback: (name, cb) => cb(null, this.deps.tls.contextFor(name)),
        },
        (socket) => https.connection(socket),
      );
    }
    return this.tlsServer;
  }

  private async listen(listener: NetServer, proto: Proto, address: string, port?: number) {
    const handoff = this.deps.handoff;
    const server = handoff
      ? handoffListener(handoff, proto, (socket) => this.accept(socket, proto))
      : listener;
    const defaultPort = proto === 'http' ? 80 : 443;
    const bound = await bind(server, address, port ?? defaultPort, port !== undefined);
    this.listeners.push(server);
    return bound;
  }

  private route(host: string | undefined, url: string): Route | undefined {
    return this.router.match(normalizeHost(host), pathOf(url));
  }

  private redirect(ex: ClientExchange, route: Route, proto: Proto): string | undefined {
    if (proto !== 'http' || !route.sslRedirect || this.httpsPort === undefined) {
      return undefined;
    }
    const host = normalizeHost(ex.host);
    const name = host.includes(':') ? `[${host}]` : host;
    const port = this.httpsPort === 443 ? '' : `:${this.httpsPort}`;
    return `https://${name}${port}${ex.url}`;
  }

  private handle(ex: ClientExchange, proto: Proto): void {
    const route = this.route(ex.host, ex.url);
    if (!route) {
      sendText(ex, 404, NO_RULE_TEXT);
      return;
    }
    const location = this.redirect(ex, route, proto);
    if (location) {
      sendText(ex, 308, 'Permanent Redirect', ['Location', location]);
      return;
    }
    const resolved = resolveRoute(route, this.deps.catalog, this.deps.pickers);
    if ('status' in resolved) {
      sendText(ex, resolved.status, resolved.message);
      return;
    }
    const socket = ex.socket;
    const { headers } = upstreamHeaders(ex.rawHeaders, {
      clientIp: clientIpOf(socket.remoteAddress),
      proto,
      port: socket.localPort ?? 0,
      ids: this.ids,
    });
    this.deps.forwarder.forward(ex, headers, resolved.target).catch((err: unknown) => {
      this.deps.log.error({ err, url: ex.url }, 'ingress: forwarding failed');
      ex.destroy();
    });
  }

  private upgrade(request: RequestHead, socket: Socket, head: Buffer, proto: Proto): void {
    const route = this.route(request.host, request.url);
    if (!route) {
      rejectSocket(socket, 404, 'Not Found', NO_RULE_TEXT);
      return;
    }
    const resolved = resolveRoute(route, this.deps.catalog, this.deps.pickers);
    if ('status' in resolved) {
      rejectSocket(socket, resolved.status, 'Service Unavailable', resolved.message);
      return;
    }
    const { headers } = upstreamHeaders(
      request.rawHeaders,
      {
        clientIp: clientIpOf(socket.remoteAddress),
        proto,
        port: socket.localPort ?? 0,
        ids: this.ids,
      },
      true,
    );
    this.deps.upgrades.forward({ request, socket, head, headers, target: resolved.target });
  }
}
