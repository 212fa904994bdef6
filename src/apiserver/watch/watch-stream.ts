// A watch as kube-apiserver serves it (k8s.io/apiserver pkg/endpoints/handlers/watch.go): one chunked response of
// `{"type":…,"object":…}` lines — the state first when asked, then every change from the resource's event ring,
// BOOKMARKs when allowed, until the timeout, the client leaving or the server shutting down. Each watcher holds at
// most MAX_PENDING changes its client has not taken yet; a client that falls further behind is ended, as
// k8s.io/apiserver's cacher ends a watcher whose buffer stays full, and resumes from the last version it saw.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeStatus, resourceExpired, type Status } from '../status.js';
import type { Change, ChangeType, EventRing } from './event-ring.js';
import type { WatchOptions } from './list-options.js';

export type EventType = ChangeType | 'BOOKMARK' | 'ERROR';

/** How a resource's items leave in events: its object (or a Table row), and a BOOKMARK's object. */
export interface WatchRendering<T> {
  /** The event's object; `first` is true for the first event sent (a Table's column definitions go with it only). */
  object(item: T, resourceVersion: string, first: boolean): Promise<string | Buffer | readonly Buffer[]>;
  /** An object carrying only its kind, apiVersion and metadata (resourceVersion, annotations). */
  bookmark(resourceVersion: string, annotations?: Record<string, string>): string;
}

export interface WatchFeed<T> {
  ring: EventRing<T>;
  /** The current items, for the initial ADDED events (read in the same turn the ring is subscribed to). */
  current(): readonly T[];
  /** The watch's label and field selectors. */
  matches(item: T): boolean;
  /**
   * The item with another resourceVersion: what a DELETED for an item leaving the selection carries. Without it
   * (items that leave a selection only by being deleted: records selected by name), the previous item as it was.
   */
  atVersion?(item: T, resourceVersion: string): T;
}

/** An object with another resourceVersion (the usual WatchFeed.atVersion), its other fields shared. */
export function withResourceVersion<T extends { metadata?: { resourceVersion?: string } }>(
  item: T,
  resourceVersion: string,
): T {
  return { ...item, metadata: { ...item.metadata, resourceVersion } };
}

/** Changes a watcher may hold for a client that has not taken them yet. */
export const MAX_PENDING = 1000;
/** How often an idle watch that allows them gets a BOOKMARK (kube-apiserver: about once a minute). */
const BOOKMARK_EVERY_MS = 60_000;

/** Each open watch: how to end it, and its response. */
const openWatches = new Map<() => void, ServerResponse>();

/** Ends every open watch cleanly (its stream closes; clients watch again elsewhere): on server shutdown. */
export function endAllWatches(): void {
  for (const end of [...openWatches.keys()]) end();
}

export function openWatchCount(): number {
  return openWatches.size;
}

/** The requests of the open watches (apiserver_longrunning_requests counts them at scrape time). */
export function openWatchRequests(): IncomingMessage[] {
  return [...openWatches.values()].map((res) => res.req);
}

function eventHead(type: EventType): Buffer {
  return Buffer.from(`{"type":"${type}","object":`);
}
const HEADS = new Map<EventType, Buffer>(
  (['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const).map((t) => [t, eventHead(t)]),
);
const TAIL = Buffer.from('}\n');

function eventChunks(type: EventType, object: string | Buffer | readonly Buffer[]): Buffer[] {
  const body =
    typeof object === 'string' ? [Buffer.from(object)] : Buffer.isBuffer(object) ? [object] : [...object];
  return [HEADS.get(type)!, ...body, TAIL];
}

/** Starts the watch on `res` (the headers go out at once, as Go flushes them). */
export function serveWatch<T>(
  res: ServerResponse,
  feed: WatchFeed<T>,
  options: WatchOptions,
  rendering: WatchRendering<T>,
  contentType: string,
): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.flushHeaders();

  const { ring } = feed;
  const pending: {
    type: EventType;
    change?: Change<T>;
    status?: Status;
    annotations?: Record<string, string>;
  }[] = [];
  /** The initial events still queued: the state goes whole, however large, as the list a client would read. */
  let initialLeft = 0;
  let first = true;
  let pumping = false;
  let ended = false;
  let lastRevision = options.after ?? ring.latest;

  const end = (): void => {
    if (ended) return;
    ended = true;
    stop();
    clearTimeout(deadline);
    clearInterval(bookmarks);
    openWatches.delete(end);
    pending.length = 0;
    if (!res.writableEnded) res.end();
  };

  const enqueue = (item: (typeof pending)[number]): void => {
    if (ended) return;
    if (pending.length - initialLeft >= MAX_PENDING) return end(); // too slow a consumer
    pending.push(item);
    void pump();
  };

  const write = (chunks: Buffer[]): Promise<void> => {
    const ok = res.write(Buffer.concat([...chunks]));
    return ok
      ? Promise.resolve()
      : new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (pending.length > 0 && !ended) {
        const item = pending.shift()!;
        if (initialLeft > 0) initialLeft--;
        let object: string | Buffer | readonly Buffer[];
        if (item.change) {
          lastRevision = Math.max(lastRevision, item.change.resourceVersion);
          object = await rendering.object(item.change.object, String(item.change.resourceVersion), first);
          first = false;
        } else if (item.status) {
          object = encodeStatus(item.status).trimEnd();
        } else {
          object = rendering.bookmark(String(lastRevision), item.annotations);
        }
        if (ended) break;
        await write(eventChunks(item.type, object));
        if (item.type === 'ERROR') return end();
      }
    } catch {
      end();
    } finally {
      pumping = false;
    }
  };

  // Filtered as k8s.io/apiserver's cacher filters a watch event (cache_watcher.go, convertToWatchEvent): by whether
  // the object matched the selectors before the change and after it — one that stops matching is DELETED, one
  // that starts matching ADDED — live or replayed alike. A DELETED for one leaving the selection carries its
  // previous content with the change's resourceVersion, as the cacher's does: what the watcher last saw matched.
  const queued = (change: Change<T>) => {
    const before = change.type === 'DELETED' ? (change.previous ?? change.object) : change.previous;
    const was = before !== undefined && feed.matches(before);
    const is = change.type !== 'DELETED' && feed.matches(change.object);
    const type: EventType | undefined = is ? (was ? change.type : 'ADDED') : was ? 'DELETED' : undefined;
    if (type === undefined) return [];
    if (type !== 'DELETED' || change.type === 'DELETED') return [{ type, change }];
    const object = feed.atVersion?.(before!, String(change.resourceVersion)) ?? before!;
    const left = { ...change, object };
    return [{ type, change: left }];
  };

  // One turn: what is current, what the ring holds and the subscription agree on one revision.
  const stop = ring.subscribe((change) => queued(change).forEach(enqueue));
  openWatches.set(end, res);
  res.once('close', end);
  const deadline = setTimeout(end, options.timeoutMs);
  const bookmarks = setInterval(() => {
    if (options.bookmarks && pending.length === 0) enqueue({ type: 'BOOKMARK' });
  }, BOOKMARK_EVERY_MS);
  deadline.unref?.();
  bookmarks.unref?.();

  if (options.initialEvents) {
    const snapshot = ring.latest;
    const initial = feed
      .current()
      .filter(feed.matches)
      .map((object) => ({
        type: 'ADDED' as const,
        change: { type: 'ADDED' as const, object, resourceVersion: 0 },
      }));
    pending.unshift(...initial);
    initialLeft = initial.length;
    lastRevision = snapshot;
    if (options.initialEventsEnd)
      pending.splice(initialLeft, 0, {
        type: 'BOOKMARK',
        annotations: { 'k8s.io/initial-events-end': 'true' },
      });
    for (const item of initial) item.change.resourceVersion = snapshot;
  } else if (options.after !== undefined) {
    const missed = ring.since(options.after);
    if (missed === undefined) {
      const status = resourceExpired(`too old resource version: ${options.after} (${ring.oldest})`);
      pending.unshift({ type: 'ERROR', status });
    } else {
      pending.unshift(...missed.flatMap((change) => queued(change)));
    }
  }
  void pump();
}
