// The one exit for errors: whatever was thrown — a StatusError from a service, a CloudError, Nest's own
// 404 for an unknown route, a body-parser failure — leaves as a metav1.Status with the right code and reason.
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { isCloudError } from '../cloud/cloud-error.js';
import {
  StatusError,
  badRequest,
  internalError,
  methodNotAllowed,
  notFound,
  requestEntityTooLarge,
  statusResponse,
  unsupportedMediaType,
  type Status,
} from './status.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

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
      return unsupportedMediaType(JSON_TYPES);
    default:
      return code >= 500 ? internalError(message) : { ...badRequest(message), code };
  }
}

/** body-parser errors carry `status` and `type` (entity.parse.failed, entity.too.large, …). */
function parserStatus(e: { status: number; type?: string; message: string }): Status {
  if (e.status === 413) return requestEntityTooLarge(e.message);
  if (e.status === 415) return unsupportedMediaType(JSON_TYPES);
  return badRequest(
    e.type === 'entity.parse.failed' ? `the request body is not valid JSON: ${e.message}` : e.message,
  );
}

export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  if (isCloudError(err)) {
    const { code, reason, operatorHint } = err.status;
    const message = operatorHint ? `${err.message}; ${operatorHint}` : err.message;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  }
  if (err instanceof HttpException) return httpExceptionStatus(err);
  const e = err as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.message === 'string')
    return parserStatus(e as { status: number; type?: string; message: string });
  return internalError(err);
}

@Catch()
export class StatusFilter implements ExceptionFilter {
  private readonly log = new Logger('StatusFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = toStatus(err);
    if (status.code >= 500) this.log.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    const { statusCode, headers, body } = statusResponse(status);
    res.status(statusCode).set(headers).end(body);
  }
}
