// Which request bodies we decode: JSON, and — as kube-apiserver does — a body sent with no Content-Type
// at all (kubectl create --raw sends none).
import type { IncomingMessage } from 'node:http';

export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

export function isJsonBody(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' || type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
}

/** A body that the JSON parser left alone: it came in a media type we do not decode. */
export function hasUndecodedBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return (length > 0 || req.headers['transfer-encoding'] !== undefined) && !isJsonBody(req);
}
