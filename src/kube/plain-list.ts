// A list read as plain JSON, the way client-node's Watch reads the events that follow it. The generated
// client would turn every item into model classes through ObjectSerializer (100 ms of CPU at start with 1,000
// Nodes, and again on every relist) although the watch then hands over plain objects, so a cache fed by both
// held two shapes of the same kind. managedFields are dropped, as client-go informers' transforms do: nothing
// here reads them and they are often the larger part of an object.
import {
  ApiException,
  HttpMethod,
  RequestContext,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { fetch } from 'undici';

/** Drops metadata.managedFields in place and returns the object. */
export function withoutManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

export async function listPlain<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  labelSelector?: string,
): Promise<KubernetesListObject<T>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No currently active cluster');
  const url = new URL(cluster.server + path);
  if (labelSelector !== undefined) url.searchParams.set('labelSelector', labelSelector);
  const ctx = new RequestContext(url.toString(), HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  const res = await fetch(url, {
    headers: { ...ctx.getHeaders(), Accept: 'application/json' },
    dispatcher: ctx.getDispatcher(),
  });
  const text = await res.text();
  if (res.status !== 200) {
    const message = `HTTP ${res.status} listing ${url.pathname}: ${text.slice(0, 500)}`;
    throw new ApiException(res.status, message, text, Object.fromEntries(res.headers));
  }
  const list = JSON.parse(text) as KubernetesListObject<T>;
  list.items.forEach(withoutManagedFields);
  return list;
}
