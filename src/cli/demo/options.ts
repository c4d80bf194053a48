// `kubeproc demo`'s flags, its usage text and the `kubeproc up` flags of the temporary instance
// it starts (second-long HPA periods so the story takes seconds, not minutes).
import { parseArgs } from 'node:util';
import { UsageError } from '../output.js';

export const DEMO_USAGE = `Usage: kubeproc demo [options]

Runs the tutorials' story end to end on a temporary kubeproc of its own (a temp data dir, free
ports, second-long HPA periods), with the real kubectl, showing what each command prints:
  1. deploy examples/hello-flask (2 replicas, a Service, an Ingress);
  2. requests through the Ingress alternate between the two pods;
  3. python3 is killed in one pod: traffic moves to the other, the pod restarts and rejoins;
  4. load starts: the HorizontalPodAutoscaler adds pods;
  5. load stops: it scales back down.
It counts failed requests (the goal is zero) and removes everything it started at the end,
also on Ctrl-C. Needs kubectl and python3 with Flask (Debian/Ubuntu: apt-get install python3-flask).

Options:
  --step               wait for Enter before each step
  --concurrency N      concurrent requests during the load step (default 20, as "ab -c 20")
  --ingress-http-port N  the ingress port (default 80, or a free port when 80 is taken)
  --network MODE       isolated (each pod its own IP; the default as root on Linux) or host`;

export interface DemoOptions {
  isStepwise: boolean;
  concurrency: number;
  ingressHttpPort?: number;
  /** Forced network mode; unset: isolated where the machine allows it, else host. */
  network?: 'isolated' | 'host';
  isHelp: boolean;
}

function positiveInt(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new UsageError(`invalid --${flag} "${text}": expected a whole number 0-${max}`);
  }
  return n;
}

/** The options `kubeproc demo ARGS` means; throws UsageError on a bad flag. */
export function parseDemoArgs(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      step: { type: 'boolean' },
      concurrency: { type: 'string' },
      'ingress-http-port': { type: 'string' },
      network: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const concurrency =
    values.concurrency === undefined ? 20 : positiveInt('concurrency', values.concurrency, 500);
  if (concurrency === 0) {
    throw new UsageError('invalid --concurrency "0": at least one request must run');
  }
  const port = values['ingress-http-port'];
  const network = values.network;
  if (network !== undefined && network !== 'isolated' && network !== 'host') {
    throw new UsageError(`invalid --network "${network}": expected isolated or host`);
  }
  return {
    isStepwise: values.step === true,
    concurrency,
    ...(port !== undefined
      ? { ingressHttpPort: positiveInt('ingress-http-port', port, 65535) }
      : {}),
    ...(network !== undefined ? { network } : {}),
    isHelp: values.help === true,
  };
}

/** Timing flags of the demo's kubeproc; Kubernetes' defaults would make the story take minutes. */
export const DEMO_UP_TIMINGS: readonly string[] = [
  '--metric-resolution',
  '1s',
  '--horizontal-pod-autoscaler-sync-period',
  '1s',
  '--horizontal-pod-autoscaler-downscale-stabilization',
  '10s',
  '--horizontal-pod-autoscaler-cpu-initialization-period',
  '10s',
  '--horizontal-pod-autoscaler-initial-readiness-delay',
  '5s',
];

/**
 * A Service range for the demo's instance apart from the default 127.96.0.0/16, so its
 * ClusterIP listeners cannot collide with those of a kubeproc the user already runs.
 */
export function demoServiceCidr(random: number): string {
  const second = 97 + Math.floor(Math.min(Math.max(random, 0), 0.999) * 30);
  return `127.${second}.0.0/16`;
}

/**
 * Isolated-mode ranges for the demo's instance: a random pod /24 in 10.200-249.x and the /24 after
 * it for Services, so they never meet the defaults or a kubeproc the user already runs.
 */
export function demoIsolatedCidrs(random: number): { podCidr: string; serviceCidr: string } {
  const r = Math.min(Math.max(random, 0), 0.999);
  const second = 200 + Math.floor(r * 50);
  const third = 2 * (Math.floor(r * 50 * 127) % 127);
  return { podCidr: `10.${second}.${third}.0/24`, serviceCidr: `10.${second}.${third + 1}.0/24` };
}

/** The `kubeproc up` arguments of the demo's temporary instance (isolated when podCidr is set). */
export function demoUpArgs(opts: {
  dataDir: string;
  kubeconfig: string;
  serviceCidr: string;
  podCidr?: string;
  ingressHttpPort?: number;
}): string[] {
  return [
    'up',
    '--data-dir',
    opts.dataDir,
    '--kubeconfig',
    opts.kubeconfig,
    '--api-port',
    '0',
    '--service-cidr',
    opts.serviceCidr,
    // Isolated: the apps bind their containerPort on their own pod IP. Host (the fallback): they
    // listen on $PORT and the ClusterIPs are on loopback.
    ...(opts.podCidr !== undefined
      ? ['--network', 'isolated', '--pod-cidr', opts.podCidr]
      : ['--network', 'host']),
    ...(opts.ingressHttpPort !== undefined
      ? ['--ingress-http-port', String(opts.ingressHttpPort)]
      : []),
    ...DEMO_UP_TIMINGS,
  ];
}
