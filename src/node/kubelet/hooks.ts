// Lifecycle hooks (postStart, preStop; pkg/kubelet/lifecycle/handlers.go): exec in the container,
// httpGet against it (the probe's request rules: named ports, host ports, scheme, headers), or
// sleep. A failure comes back as the message the FailedPostStartHook/FailedPreStopHook event carries.
import type { Handler } from '../../apis/core/v1/types.js';
import type { ProbeTarget } from '../prober/index.js';
import { newHttpProbeRequest } from '../prober/http-request.js';
import { probeHttp } from '../prober/http.js';
import { goQuote } from '../prober/port.js';

const DEFAULT_HOOK_TIMEOUT_MS = 30_000;
/** The User-Agent the kubelet's lifecycle requests carry. */
const LIFECYCLE_USER_AGENT = 'kube-lifecycle/1.32';

export interface HookOptions {
  /** The container's name, as the message names it. */
  container: string;
  /** The pod as the kubelet's format.Pod writes it: `name_namespace(uid)`. */
  pod: string;
  timeoutMs?: number;
}

/** Runs a hook; resolves with a failure message, or undefined when it succeeded. */
export async function runHook(
  handler: Handler,
  target: ProbeTarget,
  opts: HookOptions,
): Promise<string | undefined> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const who = `for Container ${goQuote(opts.container)} in Pod ${goQuote(opts.pod)}`;
  try {
    if (handler.exec?.command) {
      const command = handler.exec.command;
      const error = await execHook(command, target, timeoutMs);
      if (error === undefined) {
        return undefined;
      }
      return `Exec lifecycle hook ([${command.join(' ')}]) ${who} failed - error: ${error.error}, message: ${goQuote(error.output)}`;
    }
    if (handler.httpGet) {
      const error = await httpHook(handler, target, timeoutMs);
      const path = handler.httpGet.path ?? '';
      return error === undefined
        ? undefined
        : `HTTP lifecycle hook (${path}) ${who} failed - error: ${error}`;
    }
    if (handler.sleep?.seconds !== undefined) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(timeoutMs, (handler.sleep?.seconds ?? 0) * 1000)),
      );
      return undefined;
    }
    return 'Cannot run handler: invalid handler';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The CRI's ExecSync error (stderr only) and the combined output the kubelet quotes. */
async function execHook(
  command: string[],
  target: ProbeTarget,
  timeoutMs: number,
): Promise<{ error: string; output: string } | undefined> {
  if (!target.exec) {
    return { error: 'exec is not supported by this runtime', output: '' };
  }
  const result = await target.exec(command, timeoutMs);
  if (result.exitCode === 0) {
    return undefined;
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const error = `command '${command.join(' ')}' exited with ${result.exitCode}: ${result.stderr ?? ''}`;
  return { error, output };
}

/**
 * The kubelet only fails an httpGet hook when the request itself fails (connection, redirects,
 * port resolution): any HTTP status, 500 included, counts as delivered.
 */
async function httpHook(
  handler: Handler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<string | undefined> {
  const request = newHttpProbeRequest(handler.httpGet ?? {}, target, LIFECYCLE_USER_AGENT);
  if ('error' in request) {
    return request.error;
  }
  const outcome = await probeHttp(request, timeoutMs);
  const isStatusOnly = /^HTTP probe failed with statuscode: \d+$/.test(outcome.message);
  if (outcome.result === 'success' || outcome.isError === true || isStatusOnly) {
    return undefined;
  }
  return outcome.message;
}
