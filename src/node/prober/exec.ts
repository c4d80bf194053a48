// The exec probe (pkg/probe/exec/exec.go with the CRI's ExecSync): the command runs in the
// container through the runtime; exit 0 succeeds, and a timeout fails as since Kubernetes 1.20.
import { expandCommand } from './expansion.js';
import { goQuote } from './port.js';
import type { ProbeOutcome, ProbeTarget } from './types.js';

/** pkg/probe/exec's maxReadLength: the output kept for the message. */
const MAX_OUTPUT_BYTES = 10 * 1024;

const CANCELED: ProbeOutcome = { result: 'unknown', isError: true, message: 'context canceled' };

/** Settles with `probe`, or as canceled once `signal` aborts; the listener never outlives it. */
function untilAborted(probe: Promise<ProbeOutcome>, signal: AbortSignal): Promise<ProbeOutcome> {
  if (signal.aborted) {
    return Promise.resolve(CANCELED);
  }
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(CANCELED);
    signal.addEventListener('abort', onAbort, { once: true });
    void probe.then((outcome) => {
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
  });
}

async function run(
  command: string[],
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  if (target.exec === undefined) {
    return { result: 'unknown', isError: true, message: 'exec is not supported by this runtime' };
  }
  const argv = expandCommand(command, target.env);
  let out;
  try {
    out = await target.exec(argv, timeoutMs);
  } catch (err) {
    return {
      result: 'unknown',
      isError: true,
      message: err instanceof Error ? err.message : String(err),
    };
  }
  if (out.isTimedOut === true) {
    return { result: 'failure', message: `command ${goQuote(argv.join(' '))} timed out` };
  }
  // The CRI returns stdout and stderr apart; the kubelet appends one to the other.
  const output = Buffer.from(`${out.stdout ?? ''}${out.stderr ?? ''}`, 'utf8')
    .subarray(0, MAX_OUTPUT_BYTES)
    .toString('utf8');
  return { result: out.exitCode === 0 ? 'success' : 'failure', message: output };
}

/** Runs an exec probe's command in the target container. */
export function probeExec(
  command: string[],
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  const probe = run(command, target, timeoutMs);
  return signal ? untilAborted(probe, signal) : probe;
}
