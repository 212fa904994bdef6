// Records kept on Leases (one label selector), each decoded from the Lease, read from a watch: the base of the
// stores of restart operations and restart batches, with their lifecycle.
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { V1Lease } from '@kubernetes/client-node';
import type { Leases, WatchedLeases } from '../cluster/leases.js';
import { byName, EventRing, revision } from '../../apiserver/watch/event-ring.js';

export interface LeaseRecord<T> {
  record: T;
  resourceVersion: string;
}

/** Lease changes kept for watches to resume from, unless --watch-cache-size says otherwise. */
const CHANGES_KEPT = 1000;

export abstract class LeaseRecords<T> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly watched: WatchedLeases;
  private readonly listeners: (() => void)[] = [];
  /** The recent changes of these Leases, for watches of the resource they hold. */
  readonly changes: EventRing<V1Lease>;

  constructor(
    what: string,
    protected readonly leases: Leases,
    selector: string,
    private readonly decode: (lease: V1Lease) => T | undefined,
    changesKept = 0,
  ) {
    this.changes = new EventRing<V1Lease>(changesKept || CHANGES_KEPT, byName);
    this.watched = leases.watch(what, selector);
  }

  get namespace(): string {
    return this.leases.namespace;
  }

  get synced(): boolean {
    return this.watched.synced;
  }

  onApplicationBootstrap(): void {
    this.watched.start(
      (lease, type) => {
        this.changes.push(type, lease, lease.metadata?.resourceVersion);
        this.listeners.forEach((listener) => listener());
      },
      (rv) => this.changes.reset(revision(rv) ?? 0),
    );
  }

  onModuleDestroy(): Promise<void> {
    return this.watched.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The record on the named Lease, as last seen by the watch. */
  protected recordNamed(leaseName: string): LeaseRecord<T> | undefined {
    const lease = this.watched.get(leaseName);
    return lease && this.recordOf(lease);
  }

  /** The Leases as the watch last saw them. */
  watchedLeases(): readonly V1Lease[] {
    return this.watched.list();
  }

  protected allRecords(): LeaseRecord<T>[] {
    return this.watched.list().flatMap((lease) => this.recordOf(lease) ?? []);
  }

  protected recordOf(lease: V1Lease): LeaseRecord<T> | undefined {
    const record = this.decode(lease);
    return record === undefined ? undefined : { record, resourceVersion: lease.metadata!.resourceVersion! };
  }
}
