// The one API error type. api/ turns it into a Kubernetes Status in one place; the HTTP client
// turns a Status back into it, so callers never depend on which Client they hold.

/** Kubernetes StatusReason values we produce. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | '';

/** One cause of a failure; `field` is a path such as `spec.replicas`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A Kubernetes metav1.Status. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error that is answered to the client as a Kubernetes Status. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The Status body for this error. */
  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) {
      status.details = this.details;
    }
    return status;
  }

  /** Rebuilds an ApiError from a Status received over HTTP. */
  static fromStatus(status: Partial<Status>, httpCode: number): ApiError {
    return new ApiError(
      status.code ?? httpCode,
      status.reason ?? '',
      status.message ?? `the server responded with status ${httpCode}`,
      status.details,
    );
  }
}

/** A qualified resource name as Kubernetes prints it: `deployments.apps`, `pods`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export const STALE_OBJECT =
  'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** A field-level validation failure, collected into one 422 Invalid. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTypeInvalid'
    | 'FieldValueTooMany'
    | 'FieldValueNotFound';
  field: string;
  /** The full message, as Kubernetes words it (`Invalid value: -1: must be ...`). */
  detail: string;
}

/** 422 Invalid: `The Deployment "web" is invalid: spec.replicas: Invalid value: ...`. */
export function invalid(
  kind: { group: string; kind: string },
  name: string,
  errors: FieldError[],
): ApiError {
  const summary = errors.map((e) => `${e.field}: ${e.detail}`);
  const list = summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`;
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: kind.group,
    kind: kind.kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

export function internalError(message = 'an internal error occurred'): ApiError {
  return new ApiError(500, 'InternalError', message);
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.reason === 'NotFound';
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): boolean =>
  e instanceof ApiError && e.reason === 'AlreadyExists';
export const isGone = (e: unknown): boolean =>
  e instanceof ApiError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
export const isInvalid = (e: unknown): boolean => e instanceof ApiError && e.reason === 'Invalid';
