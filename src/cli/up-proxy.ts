// `kubeproc up`'s Service proxy and ingress flags, and the lines `up` prints about them (where
// the ingress answers, which ClusterIPs and node ports are served).
import { isIP } from 'node:net';
import { MAX_INGRESS_WORKERS } from '../proxy/config.js';
import type { ProxyConfig } from '../proxy/index.js';
import type { RunningProxy } from '../proxy/index.js';
import { UsageError } from './output.js';

export const PROXY_UP_OPTIONS = {
  'ingress-http-port': { type: 'string' },
  'ingress-https-port': { type: 'string' },
  'ingress-address': { type: 'string' },
  'ingress-classes': { type: 'string' },
  'no-classless-ingress': { type: 'boolean' },
  'no-ingress': { type: 'boolean' },
  'ingress-workers': { type: 'string' },
  'node-port-address': { type: 'string' },
  'no-proxy': { type: 'boolean' },
} as const;

export const PROXY_UP_USAGE = `
Services and Ingress:
  --ingress-http-port N       ingress HTTP port (default 80, or a free port if 80 cannot be bound; 0 = any free port)
  --ingress-https-port N      ingress HTTPS port, opened once an Ingress has TLS (default 443, else a free port)
  --ingress-address IP        ingress listen address (default 127.0.0.1)
  --ingress-classes LIST      IngressClasses served besides "kubeproc" (default nginx; "none" for only kubeproc)
  --no-classless-ingress      ignore Ingresses without a class (served by default)
  --no-ingress                run no ingress controller
  --ingress-workers N         worker processes serving ingress traffic (default 0: kubeproc's own process)
  --node-port-address IP      where NodePort Services listen (default 127.0.0.1)
  --no-proxy                  no Service proxy and no ingress
`;

type Values = Partial<Record<keyof typeof PROXY_UP_OPTIONS, string | boolean>>;

function port(flag: string, value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`invalid --${flag} "${value}": expected a port number 0-65535`);
  }
  return n;
}

function workerCount(value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_INGRESS_WORKERS) {
    throw new UsageError(
      `invalid --ingress-workers "${value}": expected a number 0-${MAX_INGRESS_WORKERS}`,
    );
  }
  return n;
}

function address(flag: string, value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  if (isIP(value) === 0) {
    throw new UsageError(`invalid --${flag} "${value}": expected an IP address`);
  }
  return value;
}

function classes(value: string | boolean | undefined): string[] | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const list = value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return list.length === 1 && list[0] === 'none' ? [] : list;
}

/** The proxy settings the flags give; defaults are left to the proxy. */
export function proxyConfigOf(values: Values): ProxyConfig {
  const httpPort = port('ingress-http-port', values['ingress-http-port']);
  const httpsPort = port('ingress-https-port', values['ingress-https-port']);
  const ingressAddress = address('ingress-address', values['ingress-address']);
  const nodePortAddress = address('node-port-address', values['node-port-address']);
  const extraClasses = classes(values['ingress-classes']);
  const workers = workerCount(values['ingress-workers']);
  return {
    enabled: values['no-proxy'] !== true,
    ingress: {
      enabled: values['no-ingress'] !== true,
      ...(httpPort !== undefined ? { httpPort } : {}),
      ...(httpsPort !== undefined ? { httpsPort } : {}),
      ...(ingressAddress !== undefined ? { address: ingressAddress } : {}),
      ...(extraClasses !== undefined ? { extraClasses } : {}),
      ...(workers !== undefined ? { workers } : {}),
      watchWithoutClass: values['no-classless-ingress'] !== true,
    },
    services: nodePortAddress !== undefined ? { nodePortAddress } : {},
  };
}

function url(scheme: string, host: string, port: number, standard: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const name = h.includes(':') ? `[${h}]` : h;
  return `${scheme}://${name}${port === standard ? '' : `:${port}`}`;
}

/** What `kubeproc up` prints about the data plane. */
export function proxySummary(
  proxy: RunningProxy | undefined,
  opts: { apiUrl: string; config: ProxyConfig },
): string[] {
  if (!proxy) {
    return [
      'services:   no proxy (--no-proxy): ClusterIPs, node ports and Ingresses are not served',
    ];
  }
  const lines = ['services:   ClusterIPs and node ports are served by kubeproc (TCP)'];
  const ingress = proxy.ingress;
  if (ingress) {
    const http = url('http', ingress.address, ingress.httpPort, 80);
    const isFallback = ingress.httpPort !== 80 && opts.config.ingress?.httpPort === undefined;
    const note = isFallback ? ' (port 80 was not available; choose with --ingress-http-port)' : '';
    const workers = ingress.workers
      ? `; served by ${ingress.workers} worker process${ingress.workers === 1 ? '' : 'es'}`
      : '';
    lines.push(`ingress:    ${http}${note}; HTTPS opens once an Ingress has TLS${workers}`);
  } else {
    lines.push('ingress:    off (--no-ingress)');
  }
  lines.push(
    `metrics:    ${opts.apiUrl}/metrics (requests, in-flight, latency per Service and pod)`,
  );
  return lines;
}
