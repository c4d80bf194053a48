// Lifecycle hooks (postStart, preStop): exec in the container, httpGet against it, or sleep,
// run to completion within a deadline. A failure comes back as the message the event carries.
import { request } from 'node:http';
import type { Handler } from '../../apis/core/v1/types.js';
import type { ProbeTarget } from '../prober/index.js';

const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

/** Runs a hook; resolves with a failure message, or undefined when it succeeded. */
export async function runHook(
  handler: Handler,
  target: ProbeTarget,
  timeoutMs = DEFAULT_HOOK_TIMEOUT_MS,
): Promise<string | undefined> {
  try {
    if (handler.exec?.command) {
      if (!target.exec) {
        return 'exec hooks are not supported for this container';
      }
      const result = await target.exec(handler.exec.command, timeoutMs);
      if (result.exitCode !== 0) {
        const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
        return `Exec lifecycle hook (${handler.exec.command.join(' ')}) for Container failed - error: command '${handler.exec.command.join(' ')}' exited with ${result.exitCode}: ${output}, message: "${output}"`;
      }
      return undefined;
    }
    if (handler.httpGet) {
      return await httpHook(handler, target, timeoutMs);
    }
    if (handler.sleep?.seconds !== undefined) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(timeoutMs, (handler.sleep?.seconds ?? 0) * 1000)),
      );
      return undefined;
    }
    return 'hook has no handler';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function httpHook(
  handler: Handler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<string | undefined> {
  const get = handler.httpGet ?? {};
  const port =
    typeof get.port === 'number' ? get.port : (target.resolvePort?.(String(get.port ?? '')) ?? NaN);
  if (!Number.isInteger(port)) {
    return `Http lifecycle hook (${get.path ?? '/'}) failed - error: unknown port ${String(get.port)}`;
  }
  const host = get.host || target.ip;
  const path = get.path ?? '/';
  return new Promise((resolve) => {
    const req = request(
      { host, port, path, method: 'GET', timeout: timeoutMs, headers: headersOf(get.httpHeaders) },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          code >= 200 && code < 400
            ? undefined
            : `HTTP lifecycle hook (${path}) for Container failed - error: received ${code}`,
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      resolve(`Http lifecycle hook (${path}) for Container failed - error: ${err.message}`),
    );
    req.end();
  });
}

function headersOf(list: { name?: string; value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list ?? []) {
    if (h.name) {
      out[h.name] = h.value ?? '';
    }
  }
  return out;
}
