// A list kept current by a watch (client-node's ListWatch), restarted after any failure, so readers are
// answered from memory. NodeCache and the operation store build on it. Objects are kept as plain JSON through
// the cache's transform (by default: without managedFields; see plain-list.ts), from the list and from the
// watch alike, so what the server does not read is dropped as each object arrives.
import { Logger } from '@nestjs/common';
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { ChangeType } from '../apiserver/watch/event-ring.js';
import { listPlain, withoutManagedFields, type ListOptions } from './plain-list.js';
import { watchList } from './watch-list.js';
import { watchListProtobuf } from './protobuf-watch-list.js';

export interface WatchedListOptions<T> extends ListOptions<T> {
  /** The initial state streamed as watch events (watch-list.ts), paged lists where it is not served. */
  streaming?: boolean;
  /**
   * With `streaming`: how an object is decoded from its protobuf message (what the transform reads of it), to ask
   * for the initial state as protobuf first (protobuf-watch-list.ts), as JSON where that fails.
   */
  protobuf?: (message: Buffer) => T;
}

const RESTART_DELAY_MS = 1000;

export class WatchedList<T extends KubernetesObject> {
  private readonly log: Logger;
  private informer?: ListWatch<T>;
  private stopped = false;
  private onListed: (resourceVersion: string) => void = () => {};
  synced = false;

  constructor(
    private readonly what: string,
    private readonly kc: KubeConfig,
    private readonly path: string,
    private readonly options: WatchedListOptions<T> = {},
  ) {
    this.log = new Logger(`WatchedList(${what})`);
  }

  /**
   * Starts listing and watching; `onChange` runs on every add, update and delete, `onListed` with the
   * resourceVersion of each (re)list, after its changes.
   */
  start(
    onChange: (obj: T, type: ChangeType) => void = () => {},
    onListed: (resourceVersion: string) => void = () => {},
  ): void {
    this.onListed = onListed;
    const { labelSelector, transform = withoutManagedFields, streaming, protobuf } = this.options;
    const list = async () => {
      const started = performance.now();
      let how = 'streamed as protobuf';
      let listed =
        streaming && protobuf
          ? await watchListProtobuf<T>(this.kc, this.path, { labelSelector, decode: protobuf, transform })
          : undefined;
      if (!listed && streaming) {
        how = 'streamed as JSON';
        listed = await watchList<T>(this.kc, this.path, { labelSelector, transform });
      }
      if (!listed) {
        how = 'listed in pages';
        listed = await listPlain<T>(this.kc, this.path, { ...this.options, transform });
      }
      const ms = Math.round(performance.now() - started);
      this.log.debug(`initial state of ${listed.items.length} ${this.what} ${how} in ${ms} ms`);
      return listed;
    };
    const informer = new ListWatch<T>(
      this.path,
      transformedWatch(this.kc, transform),
      list,
      false,
      labelSelector,
    );
    informer.on('add', (obj) => onChange(obj, 'ADDED'));
    informer.on('update', (obj) => onChange(obj, 'MODIFIED'));
    informer.on('delete', (obj) => onChange(obj, 'DELETED'));
    informer.on('error', (err) => {
      if (this.stopped) return; // stop() aborts the watch: not a failure
      this.log.warn(`watching ${this.what} failed, restarting: ${(err as Error)?.message ?? err}`);
      this.restartLater();
    });
    this.informer = informer;
    this.run();
  }

  private run(): void {
    this.informer!.start().then(
      () => {
        this.synced = true;
        this.onListed(this.resourceVersion());
      },
      (err: Error) => {
        this.log.warn(`listing ${this.what} failed, retrying: ${err.message}`);
        this.restartLater();
      },
    );
  }

  private restartLater(): void {
    if (!this.stopped) setTimeout(() => this.run(), RESTART_DELAY_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer?.stop();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer?.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.informer?.list(namespace) ?? [];
  }

  resourceVersion(): string {
    return this.informer?.latestResourceVersion() ?? '';
  }
}

/** A Watch whose object events carry the transformed object: the informer stores what its callback is given. */
function transformedWatch<T extends KubernetesObject>(kc: KubeConfig, transform: (obj: T) => T): Watch {
  const watch = new Watch(kc);
  const inner = watch.watch.bind(watch);
  watch.watch = (path, query, callback, done) =>
    inner(
      path,
      query,
      (phase: string, obj: T, raw: unknown) =>
        callback(
          phase,
          phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? transform(obj) : obj,
          raw,
        ),
      done,
    );
  return watch;
}
