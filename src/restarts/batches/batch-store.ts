// RestartBatch records on Leases in the operations namespace, read from a watch and written with their
// resourceVersion, so two replicas cannot both start the same node of a batch.
import { Inject, Injectable } from '@nestjs/common';
import type { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { StatusError, alreadyExists } from '../../common/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { COORDINATION_API, KUBE_CONFIG } from '../../kube/kube.tokens.js';
import { LeaseRecords, type LeaseRecord } from '../operations/lease-records.js';
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
export class BatchStore extends LeaseRecords<RestartBatchRecord> {
  constructor(
    @Inject(KUBE_CONFIG) kc: KubeConfig,
    @Inject(COORDINATION_API) private readonly api: CoordinationV1Api,
    operations: OperationStore,
    private readonly options: ServerOptions,
  ) {
    super('restart batch leases', kc, operations.namespace, BATCH_SELECTOR, batchFromLease);
  }

  get(name: string): StoredBatch | undefined {
    return this.stored(this.recordNamed(batchLeaseName(name)));
  }

  /** The batch as kube-apiserver has it now, not as the watch last saw it (after a 409). */
  async read(name: string): Promise<StoredBatch | undefined> {
    try {
      const lease = await this.api.readNamespacedLease({
        name: batchLeaseName(name),
        namespace: this.namespace,
      });
      return this.stored(this.recordOf(lease));
    } catch (err) {
      if (isHttpStatus(err, 404)) return undefined;
      throw err;
    }
  }

  all(): StoredBatch[] {
    return this.allRecords().map((r) => this.stored(r)!);
  }

  /** Records a new batch; a name in use is a 409 AlreadyExists, as for any object. */
  async create(batch: RestartBatchRecord): Promise<StoredBatch> {
    const namespace = this.namespace;
    try {
      const lease = await this.api.createNamespacedLease({ namespace, body: batchLease(batch, namespace) });
      return this.stored(this.recordOf(lease))!;
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
      const target = { group: this.options.apiGroup, resource: 'restartbatches', name: batch.name };
      throw new StatusError(alreadyExists(target));
    }
  }

  /** Writes the batch's next state; a 409 means another replica moved it first. */
  async replace(batch: RestartBatchRecord, resourceVersion: string): Promise<StoredBatch> {
    const namespace = this.namespace;
    const body = batchLease(batch, namespace, resourceVersion);
    const lease = await this.api.replaceNamespacedLease({
      name: batchLeaseName(batch.name),
      namespace,
      body,
    });
    return this.stored(this.recordOf(lease))!;
  }

  private stored(found: LeaseRecord<RestartBatchRecord> | undefined): StoredBatch | undefined {
    return found && { batch: found.record, resourceVersion: found.resourceVersion };
  }
}
