// A list read as plain JSON, the way client-node's Watch reads the events that follow it. The generated
// client would turn every item into model classes through ObjectSerializer (100 ms of CPU at start with 1,000
// Nodes, and again on every relist) although the watch then hands over plain objects, so a cache fed by both
// held two shapes of the same kind. Each item goes through the cache's transform (managedFields dropped by
// default, as client-go informers' transforms do), and the list is read in pages (`limit` + `continue`, as
// client-go's pager does), so only one page's text and parsed body are held at a time, never the whole list's.
import {
  ApiException,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { fetch } from 'undici';
import { authenticated } from './kube-config.js';

/** client-go's pager default (k8s.io/client-go/tools/pager: defaultPageSize). */
export const DEFAULT_PAGE_SIZE = 500;
/** Restarts of a paged list whose continue token expired (410) before the error is the caller's. */
const EXPIRED_RESTARTS = 3;

/** Drops metadata.managedFields in place and returns the object. */
export function withoutManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

export interface ListOptions<T> {
  labelSelector?: string;
  /** Items per request; 0 lists everything in one response. */
  pageSize?: number;
  /** What is kept of each item (the item given may be changed or dropped). */
  transform?: (item: T) => T;
}

interface Page<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

async function listPage<T>(kc: KubeConfig, url: URL): Promise<Page<T>> {
  const { headers, dispatcher } = await authenticated(kc, url);
  const res = await fetch(url, {
    // Uncompressed: kube-apiserver gzips a large list on request (undici asks by default), which costs both sides
    // more CPU than the bytes cost between a pod and its control plane; 5,000 kubelet Nodes listed in 1.3 s instead
    // of 2.9 s here.
    headers: { ...headers, Accept: 'application/json', 'Accept-Encoding': 'identity' },
    dispatcher,
  });
  const text = await res.text();
  if (res.status !== 200) {
    const message = `HTTP ${res.status} listing ${url.pathname}: ${text.slice(0, 500)}`;
    throw new ApiException(res.status, message, text, Object.fromEntries(res.headers));
  }
  return JSON.parse(text) as Page<T>;
}

/**
 * Every item, transformed page by page. A continue token that expired (410 Gone: the snapshot it reads was
 * compacted) starts the list again from its first page, as client-go's pager falls back to a full list.
 */
export async function listPlain<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  { labelSelector, pageSize = DEFAULT_PAGE_SIZE, transform = withoutManagedFields }: ListOptions<T> = {},
): Promise<KubernetesListObject<T>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No currently active cluster');
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion: string | undefined;
  for (let restarts = 0; ;) {
    const url = new URL(cluster.server + path);
    if (labelSelector !== undefined) url.searchParams.set('labelSelector', labelSelector);
    if (pageSize > 0) url.searchParams.set('limit', String(pageSize));
    if (token) url.searchParams.set('continue', token);
    let page: Page<T>;
    try {
      page = await listPage<T>(kc, url);
    } catch (err) {
      if (!token || (err as ApiException<unknown>).code !== 410 || ++restarts > EXPIRED_RESTARTS) throw err;
      items.length = 0;
      token = undefined;
      continue;
    }
    for (const item of page.items) items.push(transform(item));
    resourceVersion = page.metadata?.resourceVersion;
    token = page.metadata?.continue || undefined;
    if (!token) return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
  }
}
