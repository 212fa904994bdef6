// Records kept on Leases (one label selector, one namespace), each decoded from the Lease, read from a watch:
// restart operations and restart batches are both stored so.
import type { CoordinationV1Api, KubeConfig, V1Lease } from '@kubernetes/client-node';
import { WatchedList } from '../kube/watched-list.js';

export interface LeaseRecord<T> {
  record: T;
  resourceVersion: string;
}

export class LeaseRecords<T> {
  private readonly leases: WatchedList<V1Lease>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    what: string,
    kc: KubeConfig,
    api: CoordinationV1Api,
    readonly namespace: string,
    selector: string,
    private readonly decode: (lease: V1Lease) => T | undefined,
  ) {
    this.leases = new WatchedList(
      what,
      kc,
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
      () => api.listNamespacedLease({ namespace, labelSelector: selector }),
      selector,
    );
  }

  get synced(): boolean {
    return this.leases.synced;
  }

  start(): void {
    this.leases.start(() => this.listeners.forEach((listener) => listener()));
  }

  stop(): Promise<void> {
    return this.leases.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The record on the named Lease, as last seen by the watch. */
  get(leaseName: string): LeaseRecord<T> | undefined {
    const lease = this.leases.get(leaseName, this.namespace);
    return lease && this.recordOf(lease);
  }

  all(): LeaseRecord<T>[] {
    return this.leases.list(this.namespace).flatMap((lease) => this.recordOf(lease) ?? []);
  }

  recordOf(lease: V1Lease): LeaseRecord<T> | undefined {
    const record = this.decode(lease);
    return record === undefined ? undefined : { record, resourceVersion: lease.metadata!.resourceVersion! };
  }
}
