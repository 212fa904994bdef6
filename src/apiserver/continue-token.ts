// List continuation: the token names the last object of the previous page. Pages are cut from the live
// cache in name order, so an object added or removed between pages is seen or skipped as with any list.
import { StatusError, badRequest } from './status.js';

export function encodeContinue(lastName: string, resourceVersion: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: lastName })).toString(
    'base64url',
  );
}

export function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      start?: unknown;
    };
    if (parsed.v === 'meta.k8s.io/v1' && typeof parsed.start === 'string' && parsed.start)
      return parsed.start;
  } catch {
    // falls through to the error below
  }
  throw new StatusError(
    badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'),
  );
}
