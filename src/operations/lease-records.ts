// Records kept on Leases (one label selector, one namespace), each decoded from the Lease, read from a watch:
// the base of the stores of restart operations and restart batches, with their lifecycle.
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import { WatchedList } from '../kube/watched-list.js';

export interface LeaseRecord<T> {
  record: T;
  resourceVersion: string;
}

export abstract class LeaseRecords<T> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly leases: WatchedList<V1Lease>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    what: string,
    kc: KubeConfig,
    readonly namespace: string,
    selector: string,
    private readonly decode: (lease: V1Lease) => T | undefined,
  ) {
    this.leases = new WatchedList(what, kc, `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`, {
      labelSelector: selector,
    });
  }

  get synced(): boolean {
    return this.leases.synced;
  }

  onApplicationBootstrap(): void {
    this.leases.start(() => this.listeners.forEach((listener) => listener()));
  }

  onModuleDestroy(): Promise<void> {
    return this.leases.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The record on the named Lease, as last seen by the watch. */
  protected recordNamed(leaseName: string): LeaseRecord<T> | undefined {
    const lease = this.leases.get(leaseName, this.namespace);
    return lease && this.recordOf(lease);
  }

  protected allRecords(): LeaseRecord<T>[] {
    return this.leases.list(this.namespace).flatMap((lease) => this.recordOf(lease) ?? []);
  }

  protected recordOf(lease: V1Lease): LeaseRecord<T> | undefined {
    const record = this.decode(lease);
    return record === undefined ? undefined : { record, resourceVersion: lease.metadata!.resourceVersion! };
  }
}
