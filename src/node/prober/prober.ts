// Running a container's probe (pkg/kubelet/prober/prober.go): runProbe picks the handler and
// runs it once; probeContainer adds upstream's retries on error and its Unhealthy/ProbeWarning
// events, and folds the outcome into the success/failure the worker counts.
import type { Probe } from '../../apis/core/v1/types.js';
import { probeExec } from './exec.js';
import { probeGrpc } from './grpc.js';
import { newHttpProbeRequest } from './http-request.js';
import { probeHttp } from './http.js';
import { resolveContainerPort } from './port.js';
import { probeTcp } from './tcp.js';
import {
  kindTitle,
  probeTiming,
  type ProbeKind,
  type ProbeOutcome,
  type ProbeTarget,
  type RunProbeOptions,
} from './types.js';

/** A Warning event about a container, as the kubelet's recorder would post it. */
export interface ProbeEvent {
  type: 'Warning';
  reason: 'Unhealthy' | 'ProbeWarning';
  message: string;
}

const MAX_PROBE_RETRIES = 3;

function errored(message: string): ProbeOutcome {
  return { result: 'unknown', isError: true, message };
}

/** Runs a probe's handler once against the target: exec, httpGet, tcpSocket or grpc. */
export async function runProbe(
  probe: Probe,
  target: ProbeTarget,
  opts: RunProbeOptions = {},
): Promise<ProbeOutcome> {
  const timeoutMs = probeTiming(probe).timeoutSeconds * 1000;
  if (probe.exec) {
    return probeExec(probe.exec.command ?? [], target, timeoutMs, opts.signal);
  }
  if (probe.httpGet) {
    const request = newHttpProbeRequest(probe.httpGet, target, opts.userAgent);
    if ('error' in request) {
      return errored(request.error);
    }
    return probeHttp(request, timeoutMs, opts.signal);
  }
  if (probe.tcpSocket) {
    const port = resolveContainerPort(probe.tcpSocket.port, target);
    if (port.error !== undefined) {
      return errored(port.error);
    }
    return probeTcp(probe.tcpSocket.host || target.ip, port.port, timeoutMs, opts.signal);
  }
  if (probe.grpc) {
    return probeGrpc({
      host: target.ip,
      port: target.mapPort?.(probe.grpc.port ?? 0) ?? probe.grpc.port ?? 0,
      service: probe.grpc.service ?? '',
      timeoutMs,
      signal: opts.signal,
      userAgent: opts.userAgent,
    });
  }
  return errored('missing probe handler');
}

export interface ProbeContainerOptions extends RunProbeOptions {
  onEvent?: (event: ProbeEvent) => void;
}

/** The result the worker counts; an errored run (isError) is thrown away by it. */
export interface CountedOutcome {
  result: 'success' | 'failure';
  message: string;
  isError: boolean;
}

/** Probes a container as the kubelet's prober.probe does, recording one event per failure. */
export async function probeContainer(
  kind: ProbeKind,
  probe: Probe,
  target: ProbeTarget,
  opts: ProbeContainerOptions = {},
): Promise<CountedOutcome> {
  let outcome: ProbeOutcome = errored('');
  for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
    outcome = await runProbe(probe, target, opts);
    if (outcome.isError !== true || opts.signal?.aborted === true) {
      break;
    }
  }
  const title = kindTitle(kind);
  const emit = (reason: ProbeEvent['reason'], message: string): void =>
    opts.onEvent?.({ type: 'Warning', reason, message });
  if (outcome.isError === true) {
    if (opts.signal?.aborted !== true) {
      emit(
        'Unhealthy',
        `${title} probe errored and resulted in ${outcome.result} state: ${outcome.message}`,
      );
    }
    return { result: 'failure', message: outcome.message, isError: true };
  }
  if (outcome.result === 'success') {
    if (outcome.isWarning === true) {
      emit('ProbeWarning', `${title} probe warning: ${outcome.message}`);
    }
    return { result: 'success', message: outcome.message, isError: false };
  }
  if (outcome.result === 'failure') {
    emit('Unhealthy', `${title} probe failed: ${outcome.message}`);
  }
  return { result: 'failure', message: outcome.message, isError: false };
}
