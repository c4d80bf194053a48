// Parses a request path into what it addresses (apiserver's RequestInfoFactory): a resource
// request with group/version/namespace/resource/name/subresource and verb, or a non-resource path.

export interface ResourceRequestInfo {
  isResourceRequest: true;
  verb: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** What follows the subresource (`nodes/x/proxy/stats/summary` -> `stats/summary`). */
  subpath: string;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  path: string;
  /** Set for /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>. */
  discovery?: { group?: string; version?: string; legacy: boolean };
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Splits the path and decides what the request addresses. */
export function parseRequestInfo(
  method: string,
  pathname: string,
  isWatchParam: boolean,
): RequestInfo {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  const prefix = parts[0];
  if (prefix === 'api' || prefix === 'apis') {
    const legacy = prefix === 'api';
    const gvLength = legacy ? 1 : 2;
    const head = parts.slice(1, 1 + gvLength);
    if (parts.length <= 1 + gvLength) {
      const discovery = legacy
        ? { legacy, ...(head[0] ? { version: head[0] } : {}) }
        : {
            legacy,
            ...(head[0] ? { group: head[0] } : {}),
            ...(head[1] ? { version: head[1] } : {}),
          };
      return { isResourceRequest: false, path: pathname, discovery };
    }
    const group = legacy ? '' : (head[0] ?? '');
    const version = legacy ? (head[0] ?? '') : (head[1] ?? '');
    return resourceInfo(method, group, version, parts.slice(1 + gvLength), isWatchParam);
  }
  return { isResourceRequest: false, path: pathname };
}

function resourceInfo(
  method: string,
  group: string,
  version: string,
  input: string[],
  isWatchParam: boolean,
): ResourceRequestInfo {
  let parts = input;
  let isWatch = isWatchParam;
  if (parts[0] === 'watch') {
    isWatch = true;
    parts = parts.slice(1);
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) {
      parts = parts.slice(2);
    }
  }
  const resource = parts[0] ?? '';
  const name = parts[1] ?? '';
  const subresource = parts[2] ?? '';
  if (resource === 'namespaces') {
    // /api/v1/namespaces/<name> addresses the namespace itself.
    namespace = '';
  }
  return {
    isResourceRequest: true,
    verb: verbOf(method, name, isWatch),
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    subpath: parts.slice(3).join('/'),
  };
}

function verbOf(method: string, name: string, isWatch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (isWatch) {
        return 'watch';
      }
      return name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
