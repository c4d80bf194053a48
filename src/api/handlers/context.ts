// What a resource request handler receives.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRequestInfo } from '../request-info.js';
import type { Scope } from '../rest/context.js';
import type { ResourceService } from '../rest/resource-service.js';
import type { WatchSettings } from './watch.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequestInfo;
  query: URLSearchParams;
  scope: Scope;
  svc: ResourceService;
  /** Warnings collected for the `Warning:` headers of the response. */
  warnings: string[];
  now: () => Date;
  /** Aborted when the server shuts down (long-running requests end then). */
  shutdown: AbortSignal;
  watch: WatchSettings;
}

/** Serves one subresource (`pods/log`, `pods/exec` ...); registered by the loop that owns it. */
export type SubresourceHandler = (ctx: HandlerContext) => Promise<void>;
