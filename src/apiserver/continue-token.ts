// List continuation, in k8s.io/apiserver's token format (pkg/storage/continue.go): base64url of
// {"v":"meta.k8s.io/v1","rv":REVISION,"start":NAME}, naming the last object of the previous page and the revision the
// list was served at. Pages are cut from the live cache in name order, so an object added or removed between pages
// is seen or skipped as with any list; a token whose revision we no longer hold has expired (410, as etcd's
// compaction makes it), and rv -1 — the token such a 410 hands out — continues at the latest state.
import { StatusError, badRequest } from './status.js';

export interface ContinueToken {
  start: string;
  /** The revision of the list the token continues; -1: the latest. */
  rv: number;
}

export function encodeContinue(lastName: string, resourceVersion: string | number): string {
  const rv = Number(resourceVersion) || -1;
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: lastName })).toString('base64url');
}

/** The token, or storage.ValidateListOptions' 400 with DecodeContinue's reason (k8s.io/apiserver pkg/storage). */
export function decodeContinue(token: string): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidToken('continue key is not valid');
  }
  if (parsed?.v !== 'meta.k8s.io/v1')
    throw invalidToken('continue key is not valid: server does not recognize this encoded version');
  const rv = Number(parsed.rv ?? 0);
  if (!Number.isSafeInteger(rv) || rv === 0)
    throw invalidToken(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  if (typeof parsed.start !== 'string' || !parsed.start)
    throw invalidToken('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  return { start: parsed.start, rv };
}

function invalidToken(reason: string): StatusError {
  return new StatusError(badRequest(`invalid continue token: ${reason}`));
}
