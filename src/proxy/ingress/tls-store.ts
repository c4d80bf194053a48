// Certificates for the HTTPS listener, chosen by SNI: each claimed Ingress's spec.tls maps hosts
// to a kubernetes.io/tls Secret in its namespace (oldest Ingress first); a TLS entry without
// hosts covers the Ingress's rule hosts, or every host when it has none. Unknown names, missing
// or broken Secrets get the default self-signed certificate, as ingress-nginx's fake one.
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { KubeObject } from '../../apis/meta.js';
import type { Lister } from '../../client/informer.js';
import { hostMatches } from './host.js';
import { sortIngresses } from './router.js';
import type { Ingress } from './types.js';

interface SecretRef {
  namespace: string;
  name: string;
}

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export class TlsStore {
  private exact = new Map<string, SecretRef>();
  private patterns: [string, SecretRef][] = [];
  private fallback: SecretRef | undefined;
  private readonly contexts = new Map<string, { version: string; context?: SecureContext }>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly secrets: Lister,
    private readonly log: Logger,
  ) {}

  /** Whether any claimed Ingress asks for TLS (the HTTPS listener is needed). */
  get isUsed(): boolean {
    return this.exact.size > 0 || this.patterns.length > 0 || this.fallback !== undefined;
  }

  /** Rebuilds the host -> Secret map from the claimed Ingresses. */
  update(ingresses: Ingress[]): void {
    this.exact = new Map();
    this.patterns = [];
    this.fallback = undefined;
    for (const ing of sortIngresses(ingresses)) {
      const namespace = ing.metadata.namespace ?? '';
      const ruleHosts = (ing.spec?.rules ?? []).map((r) => r.host ?? '').filter(Boolean);
      for (const tls of ing.spec?.tls ?? []) {
        if (tls.secretName) {
          const hosts = tls.hosts?.length ? tls.hosts : ruleHosts;
          this.add({ namespace, name: tls.secretName }, hosts);
        }
      }
    }
  }

  /** Older entries win: add is called oldest Ingress first. */
  private add(ref: SecretRef, hosts: string[]): void {
    if (hosts.length === 0) {
      this.fallback ??= ref;
    }
    for (const host of hosts.map((h) => h.toLowerCase())) {
      if (host.startsWith('*.')) {
        this.patterns.push([host, ref]);
      } else if (!this.exact.has(host)) {
        this.exact.set(host, ref);
      }
    }
  }

  /** The context for an SNI name, or undefined for the server's default certificate. */
  contextFor(servername: string): SecureContext | undefined {
    const host = servername.toLowerCase();
    const ref =
      this.exact.get(host) ??
      this.patterns.find(([pattern]) => hostMatches(pattern, host))?.[1] ??
      this.fallback;
    return ref ? this.load(ref) : undefined;
  }

  private load(ref: SecretRef): SecureContext | undefined {
    const key = `${ref.namespace}/${ref.name}`;
    const secret = this.secrets.get(ref.namespace, ref.name);
    const version = secret?.metadata.resourceVersion ?? '';
    const cached = this.contexts.get(key);
    if (cached && cached.version === version) {
      return cached.context;
    }
    const context = secret ? this.build(key, secret) : undefined;
    if (!secret) {
      this.warnOnce(key, `secret ${key} not found: serving the default certificate`);
    }
    this.contexts.set(key, context ? { version, context } : { version });
    return context;
  }

  private build(key: string, secret: Secret): SecureContext | undefined {
    const cert = secret.data?.['tls.crt'];
    const privateKey = secret.data?.['tls.key'];
    if (!cert || !privateKey) {
      this.warnOnce(
        key,
        `secret ${key} has no tls.crt and tls.key: serving the default certificate`,
      );
      return undefined;
    }
    try {
      return createSecureContext({
        cert: Buffer.from(cert, 'base64'),
        key: Buffer.from(privateKey, 'base64'),
      });
    } catch (err) {
      this.warnOnce(key, `secret ${key} holds no usable certificate: ${(err as Error).message}`);
      return undefined;
    }
  }

  private warnOnce(key: string, message: string): void {
    if (!this.warned.has(message)) {
      this.warned.add(message);
      this.log.warn({ secret: key }, message);
    }
  }
}
