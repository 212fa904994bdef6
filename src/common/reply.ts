// Answers written on Node's own response object, so that the routes Nest serves and the read fast path
// (src/fast-path) send the same bytes.
import type { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { EncodedJson } from './encoded-json.js';
import { toStatus } from './error-status.js';
import { StatusError, statusResponse, type HttpReply } from './status.js';

/** Express 5's res.json: the same Content-Type, charset included, and the same text. */
export function jsonReply(value: unknown): HttpReply {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: value instanceof EncodedJson ? value.bytes() : JSON.stringify(value),
  };
}

export function writeReply(res: ServerResponse, reply: HttpReply): void {
  res.statusCode = reply.statusCode;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.body) res.setHeader('Content-Length', Buffer.byteLength(reply.body));
  res.end(reply.body);
}

const log = new Logger('StatusFilter');

/** Whatever was thrown leaves as a metav1.Status; a 5xx is logged with its stack. */
export function writeError(res: ServerResponse, err: unknown): void {
  const status = toStatus(err);
  if (status.code >= 500) log.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  writeReply(res, statusResponse(status, err instanceof StatusError ? err.headers : undefined));
}
