// A list kept current by a watch (client-node's ListWatch), restarted after any failure, so readers are
// answered from memory. NodeCache and the operation store build on it. Objects are kept as plain JSON without
// managedFields (plain-list.ts), from the list and from the watch alike.
import { Logger } from '@nestjs/common';
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { ChangeType } from '../apiserver/watch/event-ring.js';
import { listPlain, withoutManagedFields } from './plain-list.js';

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
    private readonly labelSelector?: string,
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
    const list = () => listPlain<T>(this.kc, this.path, this.labelSelector);
    const informer = new ListWatch<T>(this.path, new Watch(this.kc), list, false, this.labelSelector);
    // The informer keeps the object it passes to its first callback: trimming it here trims what it stores.
    informer.on('add', (obj) => onChange(withoutManagedFields(obj), 'ADDED'));
    informer.on('update', (obj) => onChange(withoutManagedFields(obj), 'MODIFIED'));
    informer.on('delete', (obj) => onChange(obj, 'DELETED'));
    informer.on('error', (err) => {
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
