// The initial state of a list streamed as watch events (`sendInitialEvents=true`, KEP-3157), as client-go's
// reflector does by default since 1.35: kube-apiserver answers from its watch cache, one object per event, and
// ends the initial state with a bookmark annotated `k8s.io/initial-events-end`. Each object is parsed and
// transformed as it arrives, so no list's text or parsed body is ever held whole. Where the control plane does not
// serve it (the WatchList feature off: 422; older: no such bookmark before the stream ends), the caller lists.
import {
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
/** The stream is ended by the server after this long; an older server that never sends the bookmark stops there. */
const TIMEOUT_SECONDS = 300;

/** The query of a watch that starts with the initial state (`watch=true` aside). */
export function initialEventsQuery(labelSelector: string | undefined) {
  return {
    sendInitialEvents: true,
    resourceVersionMatch: 'NotOlderThan',
    allowWatchBookmarks: true,
    timeoutSeconds: TIMEOUT_SECONDS,
    ...(labelSelector !== undefined && { labelSelector }),
  };
}

export interface WatchListOptions<T> {
  labelSelector?: string;
  transform: (item: T) => T;
}

/** The initial state as a list with its resourceVersion, or undefined when the control plane does not stream it. */
export async function watchList<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  { labelSelector, transform }: WatchListOptions<T>,
): Promise<KubernetesListObject<T> | undefined> {
  const items: T[] = [];
  let abort: AbortController | undefined;
  let settle!: (list: KubernetesListObject<T> | undefined) => void;
  const settled = new Promise<KubernetesListObject<T> | undefined>((resolve) => (settle = resolve));
  let done = false;
  const finish = (list: KubernetesListObject<T> | undefined) => {
    if (done) return;
    done = true;
    abort?.abort();
    settle(list);
  };
  const query = initialEventsQuery(labelSelector);
  const onEvent = (phase: string, obj: T) => {
    if (phase === 'ADDED') items.push(transform(obj));
    else if (phase === 'BOOKMARK' && obj.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
      finish({
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: obj.metadata.resourceVersion },
        items,
      });
    } else if (phase === 'ERROR') finish(undefined);
  };
  try {
    abort = await new Watch(kc).watch(path, query, onEvent, () => finish(undefined));
    if (done) abort.abort();
  } catch {
    finish(undefined);
  }
  return settled;
}
