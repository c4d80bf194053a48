// The argv that starts a container's (or an exec's) process: a fixed /bin/sh script joins the
// cgroups before exec, and in PID-namespace mode a small init runs as PID 1 under `unshare`.
// The user's command is never parsed by a shell; it only travels as positional arguments.
import { constants } from 'node:os';
import { MOUNT_STEPS, mountStepWords, type MountSetup } from './init-mounts.js';

export type { MountSetup, MountStep } from './init-mounts.js';

/** The shell that runs the fixed scripts; POSIX guarantees it. */
export const SHELL = '/bin/sh';

/**
 * Host side, always: unset what the shell itself exported ($1), write $$ to each cgroup.procs
 * file ($3 of them, errors to fd $2), close the status pipe, exec the command. `$2` = `3+` keeps
 * the status pipe open for a namespace's init, which reports its mount steps on it.
 */
export const LAUNCH_SCRIPT = [
  'for v in $1; do unset "$v"; done',
  'e=${2%+}; k=$2; n=$3; shift 3',
  'while [ "$n" -gt 0 ]; do',
  '  { echo $$ >"$1"; } 2>&"$e" || exit 125',
  '  n=$((n - 1)); shift',
  'done',
  'if [ "$k" = 3 ]; then exec 3>&-; fi',
  'exec "$@"',
].join('\n');

/**
 * PID 1 of a container's namespace. The app runs as its child (PID 2), so it keeps default signal
 * handling (the kernel drops default-action signals sent to a namespace's init). Its own stderr
 * goes to /dev/null, so the shell's "Killed" notices never reach the container log; the app gets
 * the original stderr back. It reaps orphans while it waits, records the app's status in the
 * exit file ($1) for an agent that restarted, and exits with it (128 + n after signal n).
 * Before the app it runs the mount steps (init-mounts.ts); with a status pipe ($2 = 3) it then
 * writes `ok` there, or the failure, so a mount error is a start error, not an app exit.
 */
export const INIT_SCRIPT = [
  'f=$1; s=$2; shift 2',
  'if [ "$s" = 3 ]; then exec 4>&3; else exec 4>&2; fi',
  'exec 3>&2 2>/dev/null',
  MOUNT_STEPS,
  'if [ "$s" = 3 ]; then echo ok >&4; fi',
  'exec 4>&-',
  `${SHELL} -c 'exec 2>&3 3>&-; for v in $1; do unset "$v"; done; shift; exec "$@"' kubeproc-app "$@"`,
  's=$?',
  'echo "$s" >"$f"',
  'exit "$s"',
].join('\n');

/** Variables /bin/sh exports on its own (dash: PWD; bash: PWD, SHLVL); unset unless the spec sets them. */
const SHELL_EXPORTS = ['PWD', 'OLDPWD', 'SHLVL'];

/** The unshare flags of a container: own PID namespace and /proc; host mounts still propagate in. */
export const UNSHARE_FLAGS = [
  '--pid',
  '--fork',
  '--mount-proc',
  '--kill-child',
  '--propagation',
  'slave',
];

/** Options of launchArgv. */
export interface LaunchOptions {
  /** The command as given (name or path, then arguments); PATH comes from `env`. */
  command: string[];
  env: Record<string, string>;
  /** cgroup.procs files the process joins before exec. */
  cgroupProcs?: string[];
  /** Run under `unshare` in a new PID namespace; the init writes the app's status to exitFile. */
  pidNamespace?: { unshare: string; exitFile: string; unshareFlags?: string[] };
  /** Mounts the init makes in the container's mount namespace (PID-namespace mode only). */
  mounts?: MountSetup;
  /** Words the app is run through (e.g. setpriv for runAsUser); PATH still finds the command. */
  wrapper?: string[];
  /** Where cgroup errors go: fd 3 (a status pipe the caller reads to EOF) or stderr. */
  errorFd?: 2 | 3;
  /** The pod's network and UTS namespaces (isolated network mode), entered before anything else. */
  podNamespaces?: PodNamespaces;
}

/** Files of a pod's persistent network and UTS namespaces, and the nsenter that enters them. */
export interface PodNamespaces {
  nsenter: string;
  netnsFile: string;
  utsFile: string;
}

/**
 * `nsenter --net --uts --` before a command. Without --pid nsenter execs rather than forks, so
 * the process keeps its pid (the group leader the runtime records).
 */
export function enterPodNamespaces(ns: PodNamespaces | undefined): string[] {
  return ns ? [ns.nsenter, `--net=${ns.netnsFile}`, `--uts=${ns.utsFile}`, '--'] : [];
}

/** The argv (starting with /bin/sh) that launches `command` as LaunchOptions says. */
export function launchArgv(opts: LaunchOptions): string[] {
  const unset = SHELL_EXPORTS.filter((v) => !(v in opts.env)).join(' ');
  const procs = opts.cgroupProcs ?? [];
  const head = [String(opts.errorFd ?? 3), String(procs.length), ...procs];
  const enter = enterPodNamespaces(opts.podNamespaces);
  if (!opts.pidNamespace) {
    const app = [...(opts.wrapper ?? []), ...opts.command];
    return [SHELL, '-c', LAUNCH_SCRIPT, 'kubeproc-init', unset, ...head, ...enter, ...app];
  }
  const { unshare, exitFile } = opts.pidNamespace;
  const status = opts.errorFd === 2 ? '-' : '3';
  const mounts = mountStepWords(opts.mounts ?? { scratchDir: '-', mounts: [] });
  const app = [...(opts.wrapper ?? []), ...opts.command];
  const init = [
    SHELL,
    '-c',
    INIT_SCRIPT,
    'kubeproc-init',
    exitFile,
    status,
    ...mounts,
    unset,
    ...app,
  ];
  if (status === '3') {
    head[0] = '3+';
  }
  return [
    SHELL,
    '-c',
    LAUNCH_SCRIPT,
    'kubeproc-launch',
    '',
    ...head,
    ...enter,
    unshare,
    ...(opts.pidNamespace.unshareFlags ?? UNSHARE_FLAGS),
    '--',
    ...init,
  ];
}

/**
 * The signal behind a namespace init's exit status. The init can only pass on 128 + n, so an
 * app that itself exits with 129..192 is reported as killed by that signal (see ADR 0006).
 */
export function signalFromStatus(code: number): NodeJS.Signals | undefined {
  if (code <= 128 || code > 128 + 64) {
    return undefined;
  }
  return signalName(code - 128);
}

/** The name of a signal number (9 → SIGKILL), or undefined for one Node does not know. */
export function signalName(n: number): NodeJS.Signals | undefined {
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry?.[0] as NodeJS.Signals | undefined;
}
