// Port and address helpers shared by the probes: ResolveContainerPort (pkg/probe/util.go) and
// the Go spellings of host:port pairs, durations and quoted strings that upstream messages use.
import { isIPv6 } from 'node:net';
import type { IntOrString } from '../../apis/core/v1/types.js';
import type { ProbeTarget } from './types.js';

export type PortResolution = { port: number; error?: undefined } | { error: string };

const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.Atoi, returning its error text on failure. */
function atoi(s: string): { value: number } | { error: string } {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    return { error: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  }
  const n = BigInt(s);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) {
    return { error: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  }
  return { value: Number(n) };
}

/**
 * A probe's port: a number, or a container port name, or failing that a number written as a
 * string. Errors read as upstream's (`port` unset is Go's zero IntOrString, the number 0).
 */
export function resolveContainerPort(
  port: IntOrString | undefined,
  target: Pick<ProbeTarget, 'resolvePort' | 'mapPort'>,
): PortResolution {
  let n: number;
  if (typeof port === 'string') {
    const named = target.resolvePort?.(port);
    if (named !== undefined) {
      n = named;
    } else {
      const parsed = atoi(port);
      if ('error' in parsed) {
        return { error: parsed.error };
      }
      n = parsed.value;
    }
  } else {
    n = port ?? 0;
  }
  if (Number.isInteger(n) && n > 0 && n < 65536) {
    return { port: target.mapPort?.(n) ?? n };
  }
  return { error: `invalid port number: ${n}` };
}

/** net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: number): string {
  return isIPv6(host) || host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's %v of a time.Duration of whole seconds: `1s`, `1m30s`, `1h0m0s`. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) {
    return `${h}h${m}m${s}s`;
  }
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** Go's %q for the strings probes quote; JSON escaping agrees with it on printable text. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
