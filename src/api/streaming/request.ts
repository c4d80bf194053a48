// Parsing streaming requests: which pod subresource a URL names, and PodExecOptions /
// PodAttachOptions from the query, with the apiserver's boolean rules and the kubelet's checks.
import { badRequest } from '../../lib/errors.js';
import type { ExecRequest, StreamingVerb } from './types.js';

const VERBS: readonly string[] = ['exec', 'attach', 'portforward'];

/** The pod subresource an upgrade request names. */
export interface StreamingPath {
  verb: StreamingVerb;
  namespace: string;
  pod: string;
  query: URLSearchParams;
}

/** `/api/v1/namespaces/<ns>/pods/<name>/(exec|attach|portforward)`, or undefined. */
export function parseStreamingPath(url: string): StreamingPath | undefined {
  const parsed = new URL(url, 'http://localhost');
  const parts = parsed.pathname.replace(/\/+$/, '').split('/');
  // ['', 'api', 'v1', 'namespaces', ns, 'pods', name, verb]
  if (
    parts.length !== 8 ||
    parts[1] !== 'api' ||
    parts[2] !== 'v1' ||
    parts[3] !== 'namespaces' ||
    parts[5] !== 'pods'
  ) {
    return undefined;
  }
  const [namespace, pod, verb] = [parts[4], parts[6], parts[7]].map((p) =>
    decodeURIComponent(p ?? ''),
  );
  if (!namespace || !pod || !verb || !VERBS.includes(verb)) {
    return undefined;
  }
  return { verb: verb as StreamingVerb, namespace, pod, query: parsed.searchParams };
}

/**
 * A query boolean as the apiserver converts it: absent is false; otherwise only "0" and "false"
 * (any case) are false, so `stdin=true`, `stdin=1` and a bare `stdin` are all true.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) {
    return false;
  }
  return value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * The exec/attach request in a query. tty with stderr drops stderr: the terminal carries both,
 * as the kubelet does.
 */
export function parseExecRequest(path: StreamingPath): ExecRequest {
  const { query } = path;
  const tty = queryBool(query, 'tty');
  return {
    namespace: path.namespace,
    pod: path.pod,
    container: query.get('container') ?? '',
    command: path.verb === 'exec' ? query.getAll('command') : [],
    stdin: queryBool(query, 'stdin'),
    stdout: queryBool(query, 'stdout'),
    stderr: queryBool(query, 'stderr') && !tty,
    tty,
  };
}

/** The kubelet's check, made after the pod and container checks (those are the route's). */
export function validateExecRequest(request: ExecRequest): void {
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
}
