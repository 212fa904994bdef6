// RestartBatch records on Leases in the operations namespace, read from a watch and written with their
// resourceVersion, so two replicas cannot both start the same node of a batch.
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { CoordinationV1Api, KubeConfig, V1Lease } from '@kubernetes/client-node';
import { StatusError, alreadyExists } from '../common/status.js';
import { ServerOptions } from '../config/server-options.js';
import { COORDINATION_API, KUBE_CONFIG } from '../kube/kube.tokens.js';
import { WatchedList } from '../kube/watched-list.js';
import { OperationStore, isHttpStatus } from '../operations/operation-store.js';
import {
  BATCH_SELECTOR,
  batchFromLease,
  batchLease,
  batchLeaseName,
  type RestartBatchRecord,
} from './restart-batch.js';

export interface StoredBatch {
  batch: RestartBatchRecord;
  resourceVersion: string;
}

@Injectable()
export class BatchStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly namespace: string;
  private readonly leases: WatchedList<V1Lease>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(KUBE_CONFIG) kc: KubeConfig,
    @Inject(COORDINATION_API) private readonly api: CoordinationV1Api,
    operations: OperationStore,
    private readonly options: ServerOptions,
  ) {
    const namespace = (this.namespace = operations.namespace);
    this.leases = new WatchedList(
      'restart batch leases',
      kc,
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
      () => api.listNamespacedLease({ namespace, labelSelector: BATCH_SELECTOR }),
      BATCH_SELECTOR,
    );
  }

  get synced(): boolean {
    return this.leases.synced;
  }

  onApplicationBootstrap(): void {
    this.leases.start(() => this.listeners.forEach((listener) => listener()));
  }

  async onModuleDestroy(): Promise<void> {
    await this.leases.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  get(name: string): StoredBatch | undefined {
    return this.stored(this.leases.get(batchLeaseName(name), this.namespace));
  }

  all(): StoredBatch[] {
    return this.leases.list(this.namespace).flatMap((lease) => this.stored(lease) ?? []);
  }

  /** Records a new batch; a name in use is a 409 AlreadyExists, as for any object. */
  async create(batch: RestartBatchRecord): Promise<StoredBatch> {
    try {
      const body = batchLease(batch, this.namespace);
      return this.stored(await this.api.createNamespacedLease({ namespace: this.namespace, body }))!;
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
      const target = { group: this.options.apiGroup, resource: 'restartbatches', name: batch.name };
      throw new StatusError(alreadyExists(target));
    }
  }

  /** Writes the batch's next state; a 409 means another replica moved it first. */
  async replace(batch: RestartBatchRecord, resourceVersion: string): Promise<StoredBatch> {
    const body = batchLease(batch, this.namespace, resourceVersion);
    const name = batchLeaseName(batch.name);
    return this.stored(await this.api.replaceNamespacedLease({ name, namespace: this.namespace, body }))!;
  }

  private stored(lease: V1Lease | undefined): StoredBatch | undefined {
    const batch = batchFromLease(lease);
    return batch && { batch, resourceVersion: lease!.metadata!.resourceVersion! };
  }
}
