// `kubeproc up`: start the API server (foreground until SIGINT/SIGTERM, or detached), write the
// kubeconfig context, and record the runtime state `down` needs.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startKubeproc, versionBody } from '../main.js';
import type { NodeConfig } from '../main.js';
import type { RunningNode } from '../node/index.js';
import { ensureServingCerts, ensureToken } from '../lib/tls.js';
import { resolveKubeconfigPath, writeKubeconfig } from './kubeconfig.js';
import {
  isRunning,
  readRuntimeState,
  removeRuntimeState,
  writeRuntimeState,
} from './runtime-state.js';
import type { Output } from './output.js';
import { UsageError, waitFor } from './output.js';
import { parseDuration } from './duration.js';
import { HPA_UP_OPTIONS, HPA_UP_USAGE, hpaOptionsOf } from './up-hpa.js';
import { PROXY_UP_OPTIONS, PROXY_UP_USAGE, proxyConfigOf, proxySummary } from './up-proxy.js';
import { customMetricsConfigOf, METRICS_UP_OPTIONS, METRICS_UP_USAGE } from './up-metrics.js';
import {
  PROMETHEUS_UP_OPTIONS,
  PROMETHEUS_UP_USAGE,
  prometheusConfigOf,
  prometheusSummary,
} from './up-prometheus.js';
import { networkFlagOf, networkSummary, resolveNetwork } from './up-network.js';
import { DNS_UP_OPTIONS, DNS_UP_USAGE, clusterDnsConfigOf, clusterDnsSummary } from './up-dns.js';

export const UP_OPTIONS = {
  'data-dir': { type: 'string' },
  'api-port': { type: 'string' },
  kubeconfig: { type: 'string' },
  detach: { type: 'boolean' },
  address: { type: 'string' },
  tls: { type: 'boolean' },
  token: { type: 'boolean' },
  'service-cidr': { type: 'string' },
  network: { type: 'string' },
  'pod-cidr': { type: 'string' },
  'node-port-range': { type: 'string' },
  'log-level': { type: 'string' },
  'node-name': { type: 'string' },
  'no-node': { type: 'boolean' },
  'no-cgroups': { type: 'boolean' },
  'pod-max-pids': { type: 'string' },
  'crashloop-initial-backoff': { type: 'string' },
  'crashloop-max-backoff': { type: 'string' },
  'metric-resolution': { type: 'string' },
  ...HPA_UP_OPTIONS,
  ...PROXY_UP_OPTIONS,
  ...METRICS_UP_OPTIONS,
  ...PROMETHEUS_UP_OPTIONS,
  ...DNS_UP_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const UP_USAGE = `Usage: kubeproc up [options]

Start kubeproc: a Kubernetes API server (v${versionBody().minor === '32' ? '1.32' : ''}) on this machine.

Options:
  --data-dir DIR          state directory (default ~/.kubeproc)
  --api-port N            API port (default 6443, or a free port if it is taken; 0 = any free port)
  --kubeconfig FILE       kubeconfig to write the "kubeproc" context into
                          (default: $KUBECONFIG, else ~/.kube/config)
  --detach                start in the background and return once the API answers
  --address IP            listen address (default 127.0.0.1); beyond loopback needs --tls --token
  --tls                   serve HTTPS with a CA generated in the data dir
  --token                 require a bearer token (generated in the data dir)
  --network MODE          isolated (a network namespace, IP and hostname per pod) or host
                          (pods share the node's network); default isolated where possible
  --pod-cidr CIDR         pod IP range in isolated mode (default 10.244.0.0/16)
  --service-cidr CIDR     Service ClusterIP range (default 10.96.0.0/12 in isolated mode,
                          127.96.0.0/16 in host mode)
  --node-port-range A-B   NodePort range (default 30000-32767)
  --log-level LEVEL       log level for <data-dir>/kubeproc.log (default info)
  --node-name NAME        this machine's Node name (default: the hostname, lower-cased)
  --no-node               serve the API and controllers only: no node agent runs pods
  --no-cgroups            run pods without cgroup limits even where the machine has cgroups
  --pod-max-pids N        most processes per pod (the pod cgroup's pids.max; default -1, no limit)
  --crashloop-initial-backoff D
                          CrashLoopBackOff's first delay (default 10s, as Kubernetes)
  --crashloop-max-backoff D
                          CrashLoopBackOff's longest delay (default 5m, as Kubernetes)
  --metric-resolution D   how often pod and node CPU/memory are sampled (default 15s, 1s at least)
${HPA_UP_USAGE}${PROXY_UP_USAGE}${METRICS_UP_USAGE}${PROMETHEUS_UP_USAGE}${DNS_UP_USAGE}`;

type UpValues = ReturnType<typeof parseUp>['values'];

function parseUp(args: string[]) {
  return parseArgs({ args, options: UP_OPTIONS, allowPositionals: false, strict: true });
}

const isLoopback = (address: string) =>
  address === '::1' || address.startsWith('127.') || address === 'localhost';

export function dataDirOf(flag: string | undefined): string {
  return resolve(flag ?? join(homedir(), '.kubeproc'));
}

function parsePortRange(text: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) {
    throw new UsageError(
      `invalid --node-port-range "${text}": expected two ports such as 30000-32767`,
    );
  }
  return [lo, hi];
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`invalid --api-port "${text}": expected a port number 0-65535`);
  }
  return n;
}

function nodeConfigOf(values: UpValues): NodeConfig {
  const initial = values['crashloop-initial-backoff'];
  const max = values['crashloop-max-backoff'];
  const node: NodeConfig = { enabled: !values['no-node'] };
  if (values['node-name'] !== undefined) {
    node.nodeName = values['node-name'];
  }
  if (initial !== undefined) {
    node.initialBackoffMs = parseDuration('crashloop-initial-backoff', initial);
  }
  if (max !== undefined) {
    node.maxBackoffMs = parseDuration('crashloop-max-backoff', max);
  }
  if ((node.initialBackoffMs ?? 10_000) > (node.maxBackoffMs ?? 300_000)) {
    throw new UsageError('--crashloop-initial-backoff must not exceed --crashloop-max-backoff');
  }
  const resolution = values['metric-resolution'];
  if (resolution !== undefined) {
    node.metricResolutionMs = parseDuration('metric-resolution', resolution);
    if (node.metricResolutionMs < 1000) {
      throw new UsageError(`invalid --metric-resolution "${resolution}": must be at least 1s`);
    }
  }
  if (values['no-cgroups']) {
    node.cgroups = false;
  }
  const pids = values['pod-max-pids'];
  if (pids !== undefined) {
    // The kubelet's rule: -1 (or any negative number) means no limit.
    if (!/^-?\d+$/.test(pids) || Number(pids) === 0) {
      throw new UsageError(
        `invalid --pod-max-pids "${pids}": expected a positive number of processes, or -1 for no limit`,
      );
    }
    if (Number(pids) > 0) {
      node.podPidsMax = Number(pids);
    }
  }
  return node;
}

function nodeSummary(node: RunningNode | undefined, networkLines: string[]): string[] {
  if (!node) {
    return ['node:       none (--no-node): pods are stored but not run'];
  }
  return [
    `node:       ${node.nodeName}`,
    ...networkLines,
    node.sandbox.pidNamespaces
      ? 'processes:  one PID namespace (own /proc) per container'
      : `processes:  ${node.sandbox.reason}`,
    node.cgroupsUnavailable
      ? `cgroups:    off (${node.cgroupsUnavailable}): pods run without cpu/memory limits`
      : 'cgroups:    on (kubepods/<qos>/pod<uid>/<container>)',
  ];
}

/** Runs `kubeproc up`; resolves with the exit code. */
export async function up(args: string[], out: Output): Promise<number> {
  const { values } = parseUp(args);
  if (values.help) {
    out.print(UP_USAGE);
    return 0;
  }
  const dataDir = dataDirOf(values['data-dir']);
  const address = values.address ?? '127.0.0.1';
  if (!isLoopback(address) && !(values.tls && values.token)) {
    throw new UsageError(
      `refusing to listen on ${address} without authentication: add --tls --token (anyone who can reach the port could control this machine's processes)`,
    );
  }
  parsePort(values['api-port']);
  parsePortRange(values['node-port-range'] ?? '30000-32767');
  nodeConfigOf(values);
  proxyConfigOf(values);
  customMetricsConfigOf(values);
  prometheusConfigOf(values);
  networkFlagOf(values.network);
  clusterDnsConfigOf(values);
  const state = readRuntimeState(dataDir);
  if (state && isRunning(state.pid)) {
    throw new UsageError(
      `kubeproc is already running (pid ${state.pid}, ${state.url}) with data dir ${dataDir}; stop it with: kubeproc down --data-dir ${dataDir}`,
    );
  }
  if (values.detach) {
    return detach(args, dataDir, out);
  }
  return foreground(values, dataDir, address, out);
}

async function foreground(
  values: UpValues,
  dataDir: string,
  address: string,
  out: Output,
): Promise<number> {
  // Listen for the stop signals before anything starts, so a signal during startup still
  // takes the clean shutdown path once startup completes.
  const stopRequested = new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = pino(
    { level: values['log-level'] ?? 'info' },
    pino.destination({ dest: join(dataDir, 'kubeproc.log'), mkdir: true, sync: false }),
  );
  const tls = values.tls
    ? await ensureServingCerts(dataDir, [address, 'localhost', '127.0.0.1'])
    : undefined;
  const token = values.token ? ensureToken(dataDir) : undefined;
  const wantedPort = parsePort(values['api-port']);
  const network = await resolveNetwork(values, !values['no-node']);
  const common = {
    dataDir,
    address,
    serviceCidr: network.serviceCidr,
    ...(network.config ? { network: network.config } : {}),
    nodePortRange: parsePortRange(values['node-port-range'] ?? '30000-32767'),
    log,
    node: nodeConfigOf(values),
    controllers: { hpa: hpaOptionsOf(values) },
    proxy: proxyConfigOf(values),
    customMetrics: customMetricsConfigOf(values),
    prometheus: prometheusConfigOf(values),
    clusterDns: clusterDnsConfigOf(values),
    ...(tls ? { tls: { certPem: tls.certPem, keyPem: tls.keyPem } } : {}),
    ...(token ? { token } : {}),
  };
  let running;
  try {
    running = await startKubeproc({ ...common, apiPort: wantedPort ?? 6443 });
  } catch (e) {
    if (wantedPort !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw e;
    }
    running = await startKubeproc({ ...common, apiPort: 0 });
  }
  const kubeconfig = resolveKubeconfigPath(values.kubeconfig);
  const clientHost = address === '0.0.0.0' ? '127.0.0.1' : address;
  const server = running.url.replace(address, clientHost);
  await writeKubeconfig({
    path: kubeconfig,
    name: 'kubeproc',
    server,
    makeCurrent: true,
    ...(tls ? { caPem: tls.caPem } : {}),
    ...(token ? { token } : {}),
  });
  writeRuntimeState(dataDir, {
    pid: process.pid,
    url: server,
    kubeconfig,
    startedAt: new Date().toISOString(),
  });
  out.print(`kubeproc: Kubernetes ${versionBody().gitVersion} API listening on ${server}`);
  out.print(`data dir:   ${dataDir}`);
  out.print(`kubeconfig: ${kubeconfig} (context "kubeproc", now current)`);
  out.print(`logs:       ${join(dataDir, 'kubeproc.log')}`);
  for (const line of nodeSummary(running.node, networkSummary(network, running.network))) {
    out.print(line);
  }
  for (const line of proxySummary(running.proxy, { apiUrl: server, config: common.proxy })) {
    out.print(line);
  }
  for (const line of prometheusSummary(common.prometheus, server)) {
    out.print(line);
  }
  out.print(clusterDnsSummary(running.clusterDns));
  out.print('Press Ctrl-C to stop.');
  await stopRequested;
  out.print('kubeproc: stopping');
  await running.stop();
  removeRuntimeState(dataDir);
  log.flush();
  return 0;
}

async function detach(args: string[], dataDir: string, out: Output): Promise<number> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFd = openSync(join(dataDir, 'kubeproc.out'), 'a', 0o600);
  const childArgs = args.filter((a) => a !== '--detach');
  if (!childArgs.includes('--data-dir')) {
    childArgs.push('--data-dir', dataDir);
  }
  const bin = process.argv[1] ?? '';
  const child = spawn(process.execPath, [bin, 'up', ...childArgs], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const state = await waitFor(30_000, () => {
    if (exited !== null) {
      throw new UsageError(
        `kubeproc failed to start (exit ${exited}); see ${join(dataDir, 'kubeproc.out')}`,
      );
    }
    const s = readRuntimeState(dataDir);
    return s && s.pid === child.pid ? s : undefined;
  });
  out.print(
    `kubeproc: Kubernetes ${versionBody().gitVersion} API listening on ${state.url} (pid ${state.pid})`,
  );
  out.print(`data dir:   ${dataDir}`);
  out.print(`kubeconfig: ${state.kubeconfig} (context "kubeproc", now current)`);
  out.print(`stop with:  kubeproc down --data-dir ${dataDir}`);
  return 0;
}

export { removeRuntimeState };
