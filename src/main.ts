// Composition root: config -> store -> API -> bootstrap objects -> HTTP(S) listener -> loops.
// Each step completes (and is ready) before the next starts; stop() undoes them in reverse.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { builtinResources } from './apis/builtin.js';
import { admissionChain, Cidr } from './api/admission/index.js';
import { bootstrap } from './api/bootstrap.js';
import { Discovery } from './api/discovery.js';
import { createOpenApi } from './api/openapi/index.js';
import { createSchemaRegistry } from './apis/schema/index.js';
import { ResourceService } from './api/rest/resource-service.js';
import { ApiHandler } from './api/server.js';
import type { VersionInfoBody } from './api/server.js';
import { sendStatus } from './api/http/respond.js';
import { ApiError } from './lib/errors.js';
import { registerPodSubresources } from './api/handlers/pod-subresources.js';
import { InProcessClient } from './client/in-process.js';
import { startControllers } from './controllers/index.js';
import type { ControllerOptions } from './controllers/index.js';
import { openSqliteStore } from './store/index.js';
import { registerPodNodeSubresources, podStreamRoute } from './api/handlers/pod-node.js';
import { registerNodeProxy } from './api/handlers/node-proxy.js';
import { handleStreamingUpgrade, rejectUpgrade } from './api/streaming/index.js';
import { PODS } from './client/resources.js';
import { startNodeAgent } from './node/start.js';
import type { RunningNode } from './node/index.js';
import type { Duplex } from 'node:stream';
import type { Store } from './store/index.js';
import { syncAPIServices } from './api/bootstrap-apiservices.js';
import { metricsResources } from './apis/metrics/resources.js';
import { METRICS_GROUP } from './apis/metrics/types.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { DEFAULT_STATS_RESOLUTION_MS } from './node/index.js';
import type { ResourceType } from './apis/resource-type.js';
import type { Client } from './client/client.js';
import { startProxy } from './proxy/index.js';
import { createPrometheusAdapter, TARGETS_PATH } from './metrics/prometheus/index.js';
import type { PrometheusAdapterConfig } from './metrics/prometheus/index.js';
import type { ProxyConfig, RunningProxy } from './proxy/index.js';
import {
  COMPUTED_GROUP_RESOURCE,
  ComputedGroupRegistry,
  ComputedGroupResource,
} from './api/handlers/computed.js';
import { customMetricsApi, externalMetricsApi } from './metrics/custom/api.js';
import type { MetricsApiGroup } from './metrics/custom/api.js';
import type { MetricsProviders } from './metrics/custom/provider.js';
import { withMetricsApi } from './metrics/client.js';
import { createBuiltinProviders } from './metrics/scrape/index.js';
import type { ScrapeOptions } from './metrics/scrape/index.js';
import { PodNetwork, type NetworkTools } from './node/network/index.js';
import { bootstrapClusterDns, clusterDnsAddress, runClusterDns } from './cluster-dns-wiring.js';
import type { ClusterDnsConfig, ClusterDnsState } from './cluster-dns-wiring.js';

export type { ClusterDnsConfig, ClusterDnsState } from './cluster-dns-wiring.js';

export const KUBERNETES_VERSION = { major: '1', minor: '32', patch: '4' };

export interface KubeprocConfig {
  dataDir: string;
  /** 0 picks a free port. */
  apiPort: number;
  address: string;
  tls?: { certPem: string; keyPem: string };
  token?: string;
  serviceCidr: string;
  nodePortRange: [number, number];
  log: Logger;
  /** Compaction keeps this many revisions of history for watch resume. */
  historyRevisions?: number;
  /** The node agent (scheduler, kubelet, node status); off runs an API + controllers only. */
  node?: NodeConfig;
  /** The Service proxy and ingress (src/proxy); none when unset. `kubeproc up` always sets it. */
  proxy?: ProxyConfig;
  /** Controller settings (the HPA's periods and tolerance). */
  controllers?: ControllerOptions;
  /** The cluster DNS and the kube-dns Service; none when unset. `kubeproc up` always sets it. */
  clusterDns?: ClusterDnsConfig;
  /** custom/external.metrics.k8s.io: the built-in scraper unless `prometheus` is set (ADR 0010). */
  customMetrics?: CustomMetricsConfig;
  /** Custom/external metrics from this Prometheus (prometheus-adapter rules, ADR 0011). */
  prometheus?: PrometheusAdapterConfig;
  /** Isolated pod networking (a netns and IP per pod from podCidr); unset is host network mode. */
  network?: { podCidr: string; tools: NetworkTools };
}

export interface CustomMetricsConfig {
  /** false serves no custom/external metrics APIs (a cluster without an adapter). */
  enabled?: boolean;
  /** The built-in scraper's interval, timeout, rate window and limits. */
  scrape?: Partial<ScrapeOptions>;
}

export interface NodeConfig {
  enabled: boolean;
  nodeName?: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  cgroups?: boolean;
  /** pids.max of each pod's cgroup (the kubelet's --pod-max-pids); unlimited when unset. */
  podPidsMax?: number;
  /** Container/node CPU and memory sampling period (metrics-server's --metric-resolution). */
  metricResolutionMs?: number;
}

export interface RunningKubeproc {
  url: string;
  port: number;
  store: Store;
  client: InProcessClient;
  node?: RunningNode;
  proxy?: RunningProxy;
  network?: PodNetwork;
  /** Where the cluster DNS answers (pods' resolv.conf nameserver), and whether it runs. */
  clusterDns?: ClusterDnsState;
  stop(): Promise<void>;
}

export function versionBody(): VersionInfoBody {
  const { major, minor, patch } = KUBERNETES_VERSION;
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.${patch}`,
    gitCommit: 'kubeproc',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kubeproc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** Starts every part of kubeproc and returns once the API answers. */
export async function startKubeproc(config: KubeprocConfig): Promise<RunningKubeproc> {
  const { log } = config;
  const now = () => new Date();
  // First: an overlapping range must fail before anything listens or runs.
  const network = await startNetwork(config);
  const store = openSqliteStore(config.dataDir);
  // The metrics APIs are routed now; their provider is made once the proxy it reads runs.
  const providers: { current?: MetricsProviders } = {};
  const metricsGroups = customMetricsGroups(config, () => providers.current);
  const registry = new ComputedGroupRegistry(servedResources(config), metricsGroups);
  const schemas = createSchemaRegistry();
  const svc = new ResourceService({
    store,
    now,
    admission: admissionChain({
      serviceCidr: config.serviceCidr,
      nodePortRange: config.nodePortRange,
    }),
    fieldChecker: (gvk, obj, prune) => schemas.checkFields(gvk, obj, { pruneUnknownFields: prune }),
  });
  const client = new InProcessClient(svc, registry);
  const metrics = createMetricsServer(config, client);
  // Compiled before listening: a bad rule file stops startup with one clear line.
  const prometheus = config.prometheus
    ? await createPrometheusAdapter(
        { client, log: log.child({ component: 'prometheus-adapter' }) },
        config.prometheus,
      ).catch((e: unknown) => {
        store.close();
        throw e;
      })
    : undefined;
  const openapi = createOpenApi(registry.resources, {
    serverVersion: versionBody().gitVersion,
    registry: schemas,
  });
  const isDnsEnabled = config.clusterDns !== undefined && config.clusterDns.enabled !== false;
  const dnsAddress = isDnsEnabled
    ? clusterDnsAddress(config.clusterDns ?? {}, config.serviceCidr)
    : undefined;
  let kubeDnsProblem: string | undefined;
  let server;
  try {
    server = await listen(config, (port) => {
      bootstrap(svc, registry, {
        apiAddress: config.address,
        apiPort: port,
        serviceIp: Cidr.parse(config.serviceCidr).at(1),
      });
      if (dnsAddress) {
        kubeDnsProblem = bootstrapClusterDns(svc, registry, dnsAddress);
      }
      syncAPIServices(svc, registry, {
        metricsServed: metrics !== undefined,
        customMetricsServed: metricsGroups.length > 0,
        now: now(),
      });
      const handler = new ApiHandler({
        registry,
        discovery: new Discovery(registry, [], `${config.address}:${port}`),
        openapi,
        svc,
        version: versionBody(),
        log,
        ...(config.token ? { token: config.token } : {}),
        now,
      });
      registerPodSubresources(handler);
      registerMetricsApi(handler, metrics);
      for (const g of metricsGroups) {
        handler.registerComputed(g.group, COMPUTED_GROUP_RESOURCE, new ComputedGroupResource(g));
      }
      if (prometheus) {
        handler.registerNonResource(TARGETS_PATH, prometheus.targets.serve);
      }
      return handler;
    });
  } catch (e) {
    store.close();
    throw e;
  }
  const port = (server.http.address() as AddressInfo).port;
  const scheme = config.tls ? 'https' : 'http';
  const host = config.address.includes(':') ? `[${config.address}]` : config.address;
  const url = `${scheme}://${host}:${port}`;
  const controllers = new AbortController();
  // Every loop, informer and listener of this process waits on this one signal, by design.
  setMaxListeners(0, controllers.signal);
  if (kubeDnsProblem) {
    log.warn(`cluster DNS: ${kubeDnsProblem}`);
  }
  // Before the proxy: the DNS owns <kube-dns ClusterIP>:53, which the proxy would otherwise bind.
  if (dnsAddress && network) {
    // On the host interface now, so the DNS binds it at once rather than on a retry.
    await network.claimServiceAddress(dnsAddress).catch((err: unknown) => {
      log.warn({ err }, `cluster DNS: cannot add ${dnsAddress}`);
    });
  }
  const clusterDns = dnsAddress
    ? await runClusterDns({ client, svc, registry, log }, config.clusterDns ?? {}, dnsAddress)
    : undefined;
  const dnsListener = clusterDns?.running ? `${clusterDns.address}:${clusterDns.port}` : undefined;
  let proxy: RunningProxy | undefined;
  if (config.proxy && config.proxy.enabled !== false) {
    try {
      proxy = await startProxy(
        { client, log },
        withClaims(config.proxy, network, dnsListener),
        controllers.signal,
      );
    } catch (e) {
      controllers.abort();
      await clusterDns?.running?.close();
      server.http.close();
      store.close();
      throw e;
    }
    server.handler.registerNonResource('/metrics', proxy.serveMetrics);
  }
  const builtin =
    metricsGroups.length > 0 && !prometheus
      ? createBuiltinProviders(
          {
            client,
            log: log.child({ component: 'scraper' }),
            ...(proxy ? { traffic: proxy.stats } : {}),
          },
          config.customMetrics?.scrape,
        )
      : undefined;
  providers.current = prometheus ?? builtin;
  const builtinDone = builtin?.start(controllers.signal);
  const loops = startControllers(
    withMetricsApi(withMetrics(client, metrics), {}, metricsGroups),
    controllers.signal,
    log,
    config.controllers,
  );
  let node: RunningNode | undefined;
  if (config.node?.enabled !== false) {
    const podDns = clusterDns
      ? {
          clusterDomain: clusterDns.clusterDomain,
          clusterDns: clusterDns.problem ? [] : [clusterDns.address],
        }
      : undefined;
    node = await startNodeAgent(
      client,
      { ...config, network, ...(podDns ? { podDns } : {}) },
      controllers.signal,
    );
    const backend = node.backend;
    registerPodNodeSubresources(server.handler, backend);
    const stats = node.stats;
    const nodeName = node.nodeName;
    registerNodeProxy(server.handler, nodeName, {
      'stats/summary': () => stats.summary(nodeName),
    });
    const route = podStreamRoute((ns, name) => client.get(PODS, ns, name), backend);
    const handler = server.handler;
    server.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!handler.authorized(req)) {
        rejectUpgrade(socket, new ApiError(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      handleStreamingUpgrade(req, socket, head, { route, log, signal: controllers.signal });
    });
  }
  const metricsDone = startMetrics(metrics, node, controllers.signal);
  const prometheusDone = prometheus?.start(controllers.signal);
  const compaction = setInterval(() => {
    const keep = config.historyRevisions ?? 100_000;
    store.compact(store.revision - keep);
  }, 5 * 60_000);
  compaction.unref();
  log.info({ url, dataDir: config.dataDir }, 'kubeproc API server ready');
  return {
    url,
    port,
    store,
    client,
    node,
    proxy,
    network,
    clusterDns,
    async stop() {
      clearInterval(compaction);
      controllers.abort();
      await loops;
      await node?.done;
      await proxy?.done;
      await clusterDns?.running?.close();
      await metricsDone;
      await builtinDone;
      await prometheusDone;
      await network?.shutdown();
      server.handler.shutdown();
      await new Promise<void>((resolve) => {
        server.http.close(() => resolve());
        server.http.closeAllConnections();
      });
      store.close();
      log.info('kubeproc stopped');
    },
  };
}

/** Isolated mode's node network (bridge, dummy, adopted pods' IPs), or none in host mode. */
async function startNetwork(config: KubeprocConfig): Promise<PodNetwork | undefined> {
  if (!config.network || config.node?.enabled === false) {
    return undefined;
  }
  return PodNetwork.start({
    dataDir: config.dataDir,
    podsDir: join(config.dataDir, 'pods'),
    podCidr: config.network.podCidr,
    serviceCidr: config.serviceCidr,
    tools: config.network.tools,
    log: config.log.child({ component: 'pod-network' }),
  });
}

/** ClusterIPs must be on the dummy interface before the proxy can bind them. */
function withClaims(
  proxy: ProxyConfig,
  network: PodNetwork | undefined,
  dnsListener: string | undefined,
): ProxyConfig {
  // The cluster DNS answers kube-dns's TCP port itself; the proxy leaves it alone.
  const reservedListeners = dnsListener ? [dnsListener] : [];
  if (!network) {
    return { ...proxy, services: { ...proxy.services, reservedListeners } };
  }
  const claimAddress = (ip: string) => network.claimServiceAddress(ip);
  return { ...proxy, services: { ...proxy.services, claimAddress, reservedListeners } };
}

/** The served resources: metrics.k8s.io only with a node to measure (see createMetricsServer). */
function servedResources(config: KubeprocConfig): ResourceType[] {
  return config.node?.enabled === false
    ? builtinResources()
    : [...builtinResources(), ...metricsResources()];
}

/**
 * The metrics server, or none without a node: kubeproc is then a cluster without metrics-server
 * (no metrics.k8s.io in discovery; `kubectl top` says the Metrics API is not available).
 */
function createMetricsServer(config: KubeprocConfig, client: Client): MetricsServer | undefined {
  if (config.node?.enabled === false) {
    return undefined;
  }
  return new MetricsServer({
    client,
    resolutionMs: config.node?.metricResolutionMs ?? DEFAULT_STATS_RESOLUTION_MS,
    log: config.log.child({ component: 'metrics-server' }),
  });
}

/**
 * custom.metrics.k8s.io and external.metrics.k8s.io over the provider, unless disabled; without a
 * node only from Prometheus (nothing runs here to scrape, as with metrics.k8s.io).
 */
function customMetricsGroups(
  config: KubeprocConfig,
  provider: () => MetricsProviders | undefined,
): MetricsApiGroup[] {
  const isBuiltinUseless = config.node?.enabled === false && !config.prometheus;
  if (config.customMetrics?.enabled === false || isBuiltinUseless) {
    return [];
  }
  return [
    customMetricsApi(() => provider()?.custom),
    externalMetricsApi(() => provider()?.external),
  ];
}

/** Serves metrics.k8s.io pods and nodes from the metrics server. */
function registerMetricsApi(handler: ApiHandler, metrics: MetricsServer | undefined): void {
  if (metrics) {
    handler.registerComputed(METRICS_GROUP, 'pods', metrics.pods);
    handler.registerComputed(METRICS_GROUP, 'nodes', metrics.nodes);
  }
}

/** The in-process client reads the store, where metrics never are: the HPA reads them here. */
function withMetrics(client: Client, metrics: MetricsServer | undefined): Client {
  return metrics ? metrics.clientWithMetrics(client) : client;
}

/** Scrapes the node's stats until the signal aborts. */
async function startMetrics(
  metrics: MetricsServer | undefined,
  node: RunningNode | undefined,
  signal: AbortSignal,
): Promise<void> {
  if (!metrics || !node) {
    return;
  }
  const { nodeName, stats } = node;
  metrics.addSource({ nodeName, summary: () => Promise.resolve(stats.summary(nodeName)) });
  await metrics.start(signal);
}

async function listen(
  config: KubeprocConfig,
  makeHandler: (port: number) => ApiHandler,
): Promise<{ http: Server; handler: ApiHandler }> {
  const ready: { handler?: ApiHandler } = {};
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (ready.handler) {
      ready.handler.listener(req, res);
      return;
    }
    // Between listen and the end of bootstrap (a few synchronous steps): ask clients to retry.
    sendStatus(
      res,
      new ApiError(503, 'ServiceUnavailable', 'the API server is starting').toStatus(),
    );
  };
  const http = config.tls
    ? createHttpsServer({ cert: config.tls.certPem, key: config.tls.keyPem }, listener)
    : createHttpServer(listener);
  http.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.apiPort, config.address, () => {
      http.off('error', reject);
      resolve();
    });
  });
  try {
    const handler = makeHandler((http.address() as AddressInfo).port);
    ready.handler = handler;
    return { http, handler };
  } catch (e) {
    http.closeAllConnections();
    http.close();
    throw e;
  }
}
