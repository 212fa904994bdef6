// What any thrown error means as a metav1.Status: a StatusError from a service, an error that carries its own
// Status (a cloud failure), Nest's own 404 for an unknown route, a body-parser failure.
import { HttpException } from '@nestjs/common';
import { JSON_MEDIA_TYPES } from './json-body.js';
import {
  StatusError,
  badRequest,
  internalError,
  methodNotAllowed,
  notFound,
  requestEntityTooLarge,
  unsupportedMediaType,
  type Status,
} from './status.js';

function httpExceptionStatus(e: HttpException): Status {
  const code = e.getStatus();
  const message = e.message;
  switch (code) {
    case 400:
      return badRequest(message);
    case 404:
      return notFound();
    case 405:
      return methodNotAllowed();
    case 413:
      return requestEntityTooLarge(message);
    case 415:
      return unsupportedMediaType(JSON_MEDIA_TYPES);
    default:
      return code >= 500 ? internalError(message) : { ...badRequest(message), code };
  }
}

/** body-parser errors carry `status` and `type` (entity.parse.failed, entity.too.large, …). */
function parserStatus(e: ParserError): Status {
  if (e.status === 413) return requestEntityTooLarge(e.message);
  if (e.status === 415) return unsupportedMediaType(JSON_MEDIA_TYPES);
  return badRequest(
    e.type === 'entity.parse.failed' ? `the request body is not valid JSON: ${e.message}` : e.message,
  );
}

type ParserError = { status: number; type?: string; message: string };

function isParserError(err: unknown): err is ParserError {
  const e = err as { status?: unknown; message?: unknown } | undefined;
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.message === 'string';
}

/** An error of a layer below that knows what it means as a Status (a cloud failure: src/cloud/cloud-error.ts). */
export interface StatusCarrier {
  toStatus(): Status;
}

function carriesStatus(err: unknown): err is StatusCarrier {
  return err instanceof Error && typeof (err as Partial<StatusCarrier>).toStatus === 'function';
}

export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  if (carriesStatus(err)) return err.toStatus();
  // The Express adapter wraps body-parser's errors; the cause says what was wrong with the body.
  if (err instanceof HttpException)
    return isParserError(err.cause) ? parserStatus(err.cause) : httpExceptionStatus(err);
  if (isParserError(err)) return parserStatus(err);
  return internalError(err);
}
