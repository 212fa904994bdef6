// Answers written on Node's own response object, so that a read sends the same bytes whether Nest or the read
// fast path serves it, and every error leaves the same way (writeError).
import type { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { DONE, EncodedJson, type EncodedBody } from './encoded-json.js';
import { Pieces, recycle } from './pieces.js';
import { toStatus } from './error-status.js';
import { StatusError, statusResponse, type HttpReply } from './status.js';

/** A JSON answer with the Content-Type Express's res.json gives the controllers' answers, charset included. */
/**
 * A JSON answer with the Content-Type Express's res.json gives the controllers' answers, charset included: a value,
 * or its JSON already encoded (a Buffer, an EncodedJson).
 */
export function jsonReply(value: unknown): HttpReply {
  const encoded = value instanceof EncodedJson || Buffer.isBuffer(value);
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: encoded ? (value as Buffer | EncodedBody) : JSON.stringify(value),
  };
}

export function writeReply(res: ServerResponse, reply: HttpReply): void {
  if (reply.stream) return reply.stream(res);
  res.statusCode = reply.statusCode;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  const { body } = reply;
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
    writeEncoded(res, body).catch((err: unknown) => {
      log.error(`answer failed while being sent: ${(err as Error)?.stack ?? String(err)}`);
      res.destroy(); // never end a cut body as if it were whole
    });
    return;
  }
  if (body) res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * An encoded answer leaves in pieces (pieces.ts), the next filled once the socket has taken the one before: a
 * large list is never one large buffer (nor one large TLS write) per request in flight, which glibc's malloc would
 * keep after the answer, and a slow reader holds a piece instead of the whole list. One that fits in a piece has its
 * Content-Length; a longer one is chunked, as net/http sends kube-apiserver's large answers.
 */
async function writeEncoded(res: ServerResponse, body: EncodedBody): Promise<void> {
  const into = new Pieces();
  let at = await body.fill(into, 0);
  if (at === DONE && !into.full) {
    const whole = into.rest();
    res.setHeader('Content-Length', whole.length);
    res.end(whole, () => recycle(whole));
    return;
  }
  for (;;) {
    for (const piece of into.take())
      if (!res.write(piece, () => recycle(piece)) && !(await drained(res))) return;
    if (at === DONE) {
      const last = into.rest();
      return void res.end(last, () => recycle(last));
    }
    at = await body.fill(into, at);
  }
}

/** Whether the socket took what was written (false: the connection closed first). */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain).off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain).once('close', onClose);
  });
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
