// Answers written on Node's own response object, so that a read sends the same bytes whether Nest or the read
// fast path serves it, and every error leaves the same way (writeError).
import type { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { EncodedJson } from './encoded-json.js';
import { toStatus } from './error-status.js';
import { StatusError, statusResponse, type HttpReply } from './status.js';

/** A JSON answer with the Content-Type Express's res.json gives the controllers' answers, charset included. */
export function jsonReply(value: unknown): HttpReply {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: value instanceof EncodedJson ? value.chunks : JSON.stringify(value),
  };
}

export function writeReply(res: ServerResponse, reply: HttpReply): void {
  if (reply.stream) return reply.stream(res);
  res.statusCode = reply.statusCode;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  const { body } = reply;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (body) res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  res.setHeader(
    'Content-Length',
    body.reduce((n, chunk) => n + chunk.length, 0),
  );
  writePieces(res, body);
}

/**
 * Kept chunks leave joined into pieces of about this size, the next once the socket has taken the one before:
 * a large list is never one more large buffer (nor one large TLS write) per request in flight, which glibc's
 * malloc would keep after the answer, and a slow reader holds one piece instead of the whole list.
 */
const PIECE_BYTES = 64 * 1024;

function writePieces(res: ServerResponse, chunks: readonly Buffer[]): void {
  let next = 0;
  const pump = (): void => {
    while (next < chunks.length) {
      const first = next;
      let size = chunks[next++]!.length;
      while (next < chunks.length && size + chunks[next]!.length <= PIECE_BYTES)
        size += chunks[next++]!.length;
      const piece = next - first === 1 ? chunks[first]! : Buffer.concat(chunks.slice(first, next), size);
      if (next === chunks.length) return void res.end(piece);
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
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
