// Which request bodies we decode: JSON, and — as kube-apiserver does — a body sent with no Content-Type
// at all (kubectl create --raw sends none).
import type { IncomingMessage } from 'node:http';
import { keepRawBody } from './duplicate-fields.js';

export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

export function isJsonBody(req: IncomingMessage): boolean {
  const header = req.headers['content-type'] ?? '';
  const semicolon = header.indexOf(';'); // not split(): the header may be up to 1 MiB of parameters
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return type === '' || type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
}

/** A body that the JSON parser left alone: it came in a media type we do not decode. */
export function hasUndecodedBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return (length > 0 || req.headers['transfer-encoding'] !== undefined) && !isJsonBody(req);
}

/** apimachinery's decoders refuse JSON nested deeper than this (sigs.k8s.io/json, util/json's maxDepth). */
export const MAX_JSON_DEPTH = 10_000;

/**
 * body-parser's `verify`: a body nested deeper than Go decodes is a 400, as kube-apiserver's decoder answers,
 * before anything parses or walks it. One pass over the bytes, outside strings.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    // Inside a string a backslash escapes the next byte, and a quote ends it.
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw Object.assign(new Error(`invalid character '${String.fromCharCode(c)}' exceeded max depth`), {
          status: 400,
          type: 'entity.parse.failed',
        });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** body-parser's `verify` for every JSON body: too deep a body is refused; the bytes are kept for duplicate keys. */
export function verifyJsonBody(req: IncomingMessage, res: unknown, body: Buffer): void {
  refuseDeepJson(req, res, body);
  keepRawBody(req, body);
}
