// `limit` and `continue` on a list: pages cut in name order from what we hold, the continue token naming the last
// object of the page, and remainingItemCount as kube-apiserver gives it.
import { decodeContinue, encodeContinue } from './continue-token.js';
import { StatusError, badRequest } from './status.js';
import type { ListMeta } from './table.js';

export interface PageQuery {
  limit?: string;
  continue?: string;
}

export interface Page<T> {
  items: T[];
  metadata: ListMeta & { resourceVersion: string };
}

/** The name a page starts after (from `continue`), if any. */
export function pageStart(q: PageQuery): string | undefined {
  return q.continue ? decodeContinue(q.continue).start : undefined;
}

function pageLimit(q: PageQuery): number {
  if (q.limit === undefined || q.limit === '') return 0;
  if (!/^\d+$/.test(q.limit)) throw new StatusError(badRequest(`invalid value for limit: "${q.limit}"`));
  return Number(q.limit);
}

/** The page of `matching` (sorted by name, already after the continue token's name) that `limit` asks for. */
export function cutPage<T>(
  matching: readonly T[],
  nameOf: (item: T) => string,
  q: PageQuery,
  resourceVersion: string,
): Page<T> {
  const limit = pageLimit(q);
  const items = limit > 0 ? matching.slice(0, limit) : [...matching];
  const metadata: Page<T>['metadata'] = { resourceVersion };
  if (items.length < matching.length) {
    metadata.continue = encodeContinue(nameOf(items.at(-1)!), resourceVersion);
    metadata.remainingItemCount = matching.length - items.length;
  }
  return { items, metadata };
}
