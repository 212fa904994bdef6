// metav1.Status errors as k8s.io/apimachinery/pkg/api/errors/errors.go builds them and
// k8s.io/apiserver's responsewriters write them (v0.36): same messages, reasons, details and JSON bytes.
import type { ServerResponse } from 'node:http';
import { aggregateMessage, errorBody, type FieldError } from './field-errors.js';
import { goJson, goQuote } from './go-format.js';
import type { EncodedBody } from './encoded-json.js';

export type StatusReason =
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
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | '';

/** The cause type goes out under the JSON key `reason`. */
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

/** Keys in Go's field order, empty ones left out (omitempty), so JSON output matches byte for byte. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  /** ListMeta: a 410 for an expired continue token carries one that continues at the latest state. */
  metadata: { continue?: string };
  status: 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export interface GroupResource {
  group: string;
  resource: string;
}

export interface ResourceName extends GroupResource {
  name: string;
}

export interface KindName {
  group: string;
  kind: string;
  name: string;
}

/** GroupResource.String() / GroupKind.String(): `resource.group`, or the bare resource for the core group. */
export function qualifiedName(group: string, resourceOrKind: string): string {
  return group ? `${resourceOrKind}.${group}` : resourceOrKind;
}

const OPTIMISTIC_LOCK_ERROR_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

function causeOf(cause: StatusCause): StatusCause {
  return {
    ...(cause.reason && { reason: cause.reason }),
    ...(cause.message && { message: cause.message }),
    ...(cause.field && { field: cause.field }),
  };
}

/** A details object is present whenever Go sets the pointer, even with every field empty (`"details":{}`). */
function detailsOf(d: StatusDetails): StatusDetails {
  return {
    ...(d.name && { name: d.name }),
    ...(d.group && { group: d.group }),
    ...(d.kind && { kind: d.kind }),
    ...(d.uid && { uid: d.uid }),
    ...(d.causes?.length && { causes: d.causes.map(causeOf) }),
    ...(d.retryAfterSeconds && { retryAfterSeconds: d.retryAfterSeconds }),
  };
}

function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    ...(message && { message }),
    ...(reason && { reason }),
    ...(details && { details: detailsOf(details) }),
    code,
  };
}

/**
 * A Status for failures no errors.NewXxx covers (a cloud's answer mapped to its code and reason). A 422 always has
 * a cause: kubectl prints an Invalid error by its causes alone, so one without would hide the message.
 */
export function failureStatus(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
): Status {
  if (code === 422 && !details?.causes?.length) details = { ...details, causes: [{ reason, message }] };
  return failure(code, reason, message, details);
}

const resourceDetails = (target: GroupResource & { name?: string }): StatusDetails => ({
  name: target.name,
  group: target.group,
  kind: target.resource,
});

export function badRequest(message: string): Status {
  return failure(400, 'BadRequest', message);
}

/** NewUnauthorized; the authentication filter sends it as `unauthorized('Unauthorized')`. */
export function unauthorized(message = ''): Status {
  return failure(401, 'Unauthorized', message || 'not authorized');
}

/** NewForbidden(gr, name, err): `message` is err's text. */
export function forbidden(target: GroupResource & { name?: string }, message: string): Status {
  const gr = qualifiedName(target.group, target.resource);
  let text: string;
  if (!target.group && !target.resource) text = `forbidden: ${message}`;
  else if (!target.name) text = `${gr} is forbidden: ${message}`;
  else text = `${gr} ${goQuote(target.name)} is forbidden: ${message}`;
  return failure(403, 'Forbidden', text, resourceDetails(target));
}

/** What the authorization filter knows of a request (a RequestInfo has all of it). */
export interface AuthorizationTarget {
  isResourceRequest: boolean;
  verb: string;
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** responsewriters/errors.go forbiddenMessage. */
function forbiddenMessage(username: string, t: AuthorizationTarget): string {
  if (!t.isResourceRequest) return `User ${goQuote(username)} cannot ${t.verb} path ${goQuote(t.path)}`;
  const resource = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
  const head = `User ${goQuote(username)} cannot ${t.verb} resource ${goQuote(resource)} in API group ${goQuote(t.apiGroup)}`;
  return t.namespace ? `${head} in the namespace ${goQuote(t.namespace)}` : `${head} at the cluster scope`;
}

// "Avoid emitting errors that look like valid HTML" (responsewriters sanitizer); the reason is not escaped.
const sanitizeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The 403 of a denied request, as responsewriters.ForbiddenStatusError builds it: the message plus
 * `: reason` when the authorizer gave one.
 */
export function authorizationForbidden(username: string, target: AuthorizationTarget, reason = ''): Status {
  const msg = sanitizeHtml(forbiddenMessage(username, target));
  const text = reason ? `${msg}: ${reason}` : msg;
  return forbidden({ group: target.apiGroup, resource: target.resource, name: target.name }, text);
}

/**
 * NewNotFound(gr, name). Without a target, the 404 of a path the API group does not serve: go-restful's
 * error as NewGenericServerResponse turns it into a Status.
 */
export function notFound(target?: ResourceName): Status {
  if (!target) return failure(404, 'NotFound', 'the server could not find the requested resource', {});
  const text = `${qualifiedName(target.group, target.resource)} ${goQuote(target.name)} not found`;
  return failure(404, 'NotFound', text, resourceDetails(target));
}

export function alreadyExists(target: ResourceName): Status {
  const text = `${qualifiedName(target.group, target.resource)} ${goQuote(target.name)} already exists`;
  return failure(409, 'AlreadyExists', text, resourceDetails(target));
}

/** NewConflict; the default message is the registry's optimistic-lock error. */
export function conflict(target: ResourceName, message = OPTIMISTIC_LOCK_ERROR_MESSAGE): Status {
  const text = `Operation cannot be fulfilled on ${qualifiedName(target.group, target.resource)} ${goQuote(target.name)}: ${message}`;
  return failure(409, 'Conflict', text, resourceDetails(target));
}

/** NewInvalid(GroupKind, name, errs): details.kind is the Kind, one cause per field error. */
export function invalid(target: KindName, errors: readonly FieldError[]): Status {
  const head = `${qualifiedName(target.group, target.kind)} ${goQuote(target.name)} is invalid`;
  const aggregate = aggregateMessage(errors);
  const causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return failure(422, 'Invalid', aggregate === undefined ? head : `${head}: ${aggregate}`, {
    name: target.name,
    group: target.group,
    kind: target.kind,
    causes,
  });
}

/** The 405 of a method no route of the resource accepts (go-restful's, via NewGenericServerResponse). */
export function methodNotAllowed(): Status {
  return failure(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

/** NewMethodNotSupported(gr, action). */
export function methodNotSupported(target: GroupResource, action: string): Status {
  const text = `${action} is not supported on resources of kind ${goQuote(qualifiedName(target.group, target.resource))}`;
  return failure(405, 'MethodNotAllowed', text, { group: target.group, kind: target.resource });
}

/** negotiation.NewNotAcceptableError. */
export function notAcceptable(accepted: readonly string[]): Status {
  return failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

/** negotiation.NewUnsupportedMediaTypeError. */
export function unsupportedMediaType(accepted: readonly string[]): Status {
  const text = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return failure(415, 'UnsupportedMediaType', text);
}

/** NewResourceExpired (410), e.g. for a continue token that is too old. */
export function resourceExpired(message: string): Status {
  return failure(410, 'Expired', message);
}

export function requestEntityTooLarge(message: string): Status {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** NewTooManyRequests: Retry-After is sent when retryAfterSeconds > 0. */
export function tooManyRequests(message: string, retryAfterSeconds: number): Status {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function internalError(err: unknown): Status {
  const text = errorText(err);
  return failure(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

export function serverTimeout(target: GroupResource, operation: string, retryAfterSeconds: number): Status {
  const text = `The ${operation} operation against ${qualifiedName(target.group, target.resource)} could not be completed at this time, please try again.`;
  return failure(500, 'ServerTimeout', text, {
    name: operation,
    group: target.group,
    kind: target.resource,
    retryAfterSeconds,
  });
}

export function serviceUnavailable(message: string): Status {
  return failure(503, 'ServiceUnavailable', message);
}

/** NewTimeoutError (504). */
export function timeout(message: string, retryAfterSeconds = 0): Status {
  return failure(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/** Thrown by services and turned into its Status by the exception filter. */
export class StatusError extends Error {
  /** `headers` go out with the Status, e.g. NOSNIFF_HEADER for what responsewriters.Forbidden writes. */
  constructor(
    readonly status: Status,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(status.message ?? '');
    this.name = 'StatusError';
  }
}

/**
 * ErrorToAPIStatus: a StatusError keeps its Status; any other error is a 500 with no reason and the
 * error's text as message.
 */
export function errorToStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return failure(500, '', errorText(err));
}

/** A whole answer: what reply.ts writes. An encoded body is copied into pieces as the socket takes them. */
export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer | EncodedBody;
  /** A long-running answer (a watch) writes itself, instead of a body. */
  stream?: (res: ServerResponse) => void;
}

/** The JSON body as json.Encoder writes it (HTML characters escaped, trailing newline). */
export function encodeStatus(status: Status): string {
  return `${goJson(status, { sortKeys: false })}\n`;
}

/** responsewriters.Forbidden and InternalError add it; ErrorNegotiated alone does not. */
export const NOSNIFF_HEADER: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

/**
 * ErrorNegotiated for a JSON client: the code is the Status code, plus Retry-After when details ask for it.
 * Pass NOSNIFF_HEADER for an authorization 403.
 */
export function statusResponse(
  status: Status,
  extraHeaders: Readonly<Record<string, string>> = {},
): HttpReply {
  const headers: Record<string, string> = { ...extraHeaders, 'Content-Type': 'application/json' };
  const retryAfter = status.details?.retryAfterSeconds ?? 0;
  if (retryAfter > 0) headers['Retry-After'] = String(retryAfter);
  return { statusCode: status.code, headers, body: status.code === 204 ? '' : encodeStatus(status) };
}

/**
 * responsewriters.InternalError: the text/plain 500 for failures outside any handler (a SubjectAccessReview
 * that could not be made, an unparseable request path).
 */
export function plainInternalError(requestUri: string, err: unknown): HttpReply {
  return {
    statusCode: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NOSNIFF_HEADER },
    body: `${sanitizeHtml(`Internal Server Error: ${goQuote(requestUri)}: ${errorText(err)}`)}\n`,
  };
}
