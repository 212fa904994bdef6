// The recent changes of one resource, for watches: a bounded ring of events in resourceVersion order, from which a
// watch resumes after the resourceVersion its client last saw, and the live feed every open watch is told from.
// k8s.io/apiserver keeps the same per resource (pkg/storage/cacher/watch_cache.go): a resourceVersion older than the
// ring's start is answered 410 Expired, and the client lists again.

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change<T> {
  type: ChangeType;
  object: T;
  /**
   * The object as it was before this change (as k8s.io/apiserver's watchCacheEvent.PrevObject): a watch's selectors
   * are applied to both, so an object that stops matching is DELETED for that watch. Undefined for an ADDED.
   */
  previous?: T;
  /** Where the change sits in the resource's history: the object's resourceVersion (an etcd revision). */
  resourceVersion: number;
}

/** A resourceVersion as a number, or undefined when it is not one (etcd revisions are unsigned integers). */
export function revision(resourceVersion: string | undefined): number | undefined {
  if (resourceVersion === undefined || !/^\d{1,16}$/.test(resourceVersion)) return undefined;
  return Number(resourceVersion);
}

/** The key of an object of a cluster-scoped (or one-namespace) resource: its name. */
export const byName = (object: { metadata?: { name?: string } }): string => object.metadata?.name ?? '';

export class EventRing<T> {
  private readonly events: Change<T>[] = [];
  private readonly listeners = new Set<(change: Change<T>) => void>();
  /** Every change after this revision is in the ring; before it, some may have been dropped. */
  private complete = 0;
  private latestRevision = 0;
  /** Each object as last pushed, by key: the `previous` of its next change. */
  private readonly lastSeen = new Map<string, T>();

  constructor(
    readonly capacity: number,
    private readonly keyOf: (object: T) => string,
  ) {}

  /** The revision of the latest change (or of the list that started the ring). */
  get latest(): number {
    return this.latestRevision;
  }

  /** The oldest revision a watch may resume from. */
  get oldest(): number {
    return this.complete;
  }

  /**
   * The state was (re)listed at `listRevision`: changes before it may be missing (an informer relists after a failed
   * watch), so the ring starts again there and a watch resuming from before it gets 410 Expired.
   */
  reset(listRevision: number): void {
    this.events.length = 0;
    this.complete = listRevision;
    this.latestRevision = Math.max(this.latestRevision, listRevision);
  }

  push(type: ChangeType, object: T, resourceVersion: string | undefined): void {
    // A relist reports deletions with the object as last seen: it still sorts after everything before it.
    const rv = Math.max(revision(resourceVersion) ?? 0, this.latestRevision);
    const key = this.keyOf(object);
    const previous = this.lastSeen.get(key);
    if (type === 'DELETED') this.lastSeen.delete(key);
    else this.lastSeen.set(key, object);
    const change: Change<T> = { type, object, resourceVersion: rv, ...(previous ? { previous } : {}) };
    this.latestRevision = rv;
    this.events.push(change);
    if (this.events.length > this.capacity) this.complete = this.events.shift()!.resourceVersion;
    for (const listener of this.listeners) listener(change);
  }

  /** The changes after `rv`, or undefined when some of them have left the ring (410 Expired). */
  since(rv: number): Change<T>[] | undefined {
    if (rv < this.complete) return undefined;
    return this.events.filter((e) => e.resourceVersion > rv);
  }

  /**
   * The objects as they were at `rv`, rebuilt from `current` (the state at `latest`) by undoing the changes after
   * it, newest first — what the watch cache's snapshots serve an Exact list from; undefined when the ring no longer
   * holds every change since.
   */
  stateAt(rv: number, current: readonly T[]): T[] | undefined {
    if (rv < this.complete) return undefined;
    const state = new Map(current.map((object) => [this.keyOf(object), object]));
    for (let i = this.events.length - 1; i >= 0 && this.events[i]!.resourceVersion > rv; i--) {
      const { type, object, previous } = this.events[i]!;
      if (type === 'ADDED' || !previous) state.delete(this.keyOf(object));
      else state.set(this.keyOf(object), previous);
    }
    return [...state.values()];
  }

  /** Calls `listener` with every change from now on; returns how to stop. */
  subscribe(listener: (change: Change<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the ring has reached `rv`, false after `ms` without (k8s.io/apiserver waits 3 s). */
  reached(rv: number, ms: number): Promise<boolean> {
    if (this.latestRevision >= rv) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), ms);
      const stop = this.subscribe(() => this.latestRevision >= rv && done(true));
    });
  }
}
