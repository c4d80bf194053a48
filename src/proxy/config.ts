// The proxy's user configuration (config.proxy in main.ts) and its defaults: which listeners,
// which Ingress classes, and the retry, timeout and ejection limits of the data plane.

export interface ProxyConfig {
  /** Off runs no Service listeners and no ingress (`kubeproc up --no-proxy`). */
  enabled?: boolean;
  ingress?: IngressConfig;
  services?: ServiceProxyConfig;
  limits?: Partial<ProxyLimits>;
}

export interface IngressConfig {
  enabled?: boolean;
  /** Listen address (default 127.0.0.1). */
  address?: string;
  /** Default 80, or a free port when 80 cannot be bound; 0 always picks a free port. */
  httpPort?: number;
  /** Default 443, or a free port when 443 cannot be bound; opened once an Ingress uses TLS. */
  httpsPort?: number;
  /** Classes claimed besides our own `kubeproc` (default ['nginx']), so tutorials work as-is. */
  extraClasses?: string[];
  /** Claim Ingresses without a class (default true), as ingress-nginx's --watch-ingress-without-class. */
  watchWithoutClass?: boolean;
  /**
   * Worker processes that serve the ingress' connections (`--ingress-workers`); 0 (the default)
   * serves them in kubeproc's own event loop.
   */
  workers?: number;
}

export interface ServiceProxyConfig {
  enabled?: boolean;
  /** Where NodePort Services listen (default 127.0.0.1), kube-proxy's --nodeport-addresses. */
  nodePortAddress?: string;
  /**
   * Makes a ClusterIP bindable before its listener opens (isolated pod networking puts it on a
   * dummy interface, as kube-proxy's IPVS mode does); unset when the addresses need no setup.
   */
  claimAddress?: (ip: string) => Promise<void>;
  /** TCP `address:port`s another part of kubeproc serves itself (the cluster DNS's ClusterIP:53). */
  reservedListeners?: string[];
}

/** The numbers that bound retries, timeouts, buffering and ejection (ingress-nginx defaults). */
export interface ProxyLimits {
  /** Attempts per request, the first included (proxy_next_upstream_tries 3). */
  tries: number;
  /** proxy-connect-timeout 5s. */
  connectTimeoutMs: number;
  /** proxy-read-timeout 60s: longest silence from a backend while a request is open. */
  readTimeoutMs: number;
  /** Request bodies up to this size are kept for a retry (client-body-buffer-size, larger). */
  bodyBufferBytes: number;
  /** First passive ejection of a failed backend; doubles per consecutive failure. */
  ejectBaseMs: number;
  ejectMaxMs: number;
  /** Client keep-alive (ingress-nginx keep-alive 75s). */
  clientKeepAliveMs: number;
  /** Idle keep-alive connections to a backend are closed after this (upstream-keepalive-timeout). */
  upstreamIdleMs: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  tries: 3,
  connectTimeoutMs: 5_000,
  readTimeoutMs: 60_000,
  bodyBufferBytes: 1024 * 1024,
  ejectBaseMs: 1_000,
  ejectMaxMs: 10_000,
  clientKeepAliveMs: 75_000,
  upstreamIdleMs: 60_000,
};

export const OWN_INGRESS_CLASS = 'kubeproc';
export const INGRESS_CONTROLLER_NAME = 'kubeproc.io/ingress-controller';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The most ingress workers `--ingress-workers` accepts. */
export const MAX_INGRESS_WORKERS = 64;

/** The limits with defaults filled in. */
export function limitsOf(config: ProxyConfig | undefined): ProxyLimits {
  return { ...DEFAULT_LIMITS, ...config?.limits };
}
