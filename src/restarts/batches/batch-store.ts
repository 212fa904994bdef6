// RestartBatch records on Leases in the operations namespace, read from a watch and written with their
// resourceVersion, so two replicas cannot both start the same node of a batch.
import { Injectable } from '@nestjs/common';
import type { V1Lease } from '@kubernetes/client-node';
import { StatusError, alreadyExists } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { Leases, isHttpStatus } from '../cluster/leases.js';
import { LeaseRecords, type LeaseRecord } from '../operations/lease-records.js';
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
    leases: Leases,
    private readonly options: ServerOptions,
  ) {
    super('restart batch leases', leases, BATCH_SELECTOR, batchFromLease, options.watchCacheSize);
  }

  get(name: string): StoredBatch | undefined {
    return this.stored(this.recordNamed(batchLeaseName(name)));
  }

  /** The batch as kube-apiserver has it now, not as the watch last saw it (after a 409). */
  async read(name: string): Promise<StoredBatch | undefined> {
    const lease = await this.leases.read(batchLeaseName(name));
    return lease && this.stored(this.recordOf(lease));
  }

  /** The batch a Lease holds (from the watch's events), if it holds one. */
  storedOf(lease: V1Lease): StoredBatch | undefined {
    return this.stored(this.recordOf(lease));
  }

  all(): StoredBatch[] {
    return this.allRecords().map((r) => this.stored(r)!);
  }

  /** Records a new batch; a name in use is a 409 AlreadyExists, as for any object. */
  async create(batch: RestartBatchRecord): Promise<StoredBatch> {
    try {
      const lease = await this.leases.create(batchLease(batch, this.namespace));
      return this.stored(this.recordOf(lease))!;
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
      const target = { group: this.options.apiGroup, resource: 'restartbatches', name: batch.name };
      throw new StatusError(alreadyExists(target));
    }
  }

  /** Writes the batch's next state; a 409 means another replica moved it first. */
  async replace(batch: RestartBatchRecord, resourceVersion: string): Promise<StoredBatch> {
    const lease = await this.leases.replace(batchLease(batch, this.namespace, resourceVersion));
    return this.stored(this.recordOf(lease))!;
  }

  /** Removes the batch, if it is still at resourceVersion (a 409 otherwise). */
  async delete(name: string, resourceVersion: string): Promise<void> {
    await this.leases.delete(batchLeaseName(name), resourceVersion);
  }

  private stored(found: LeaseRecord<RestartBatchRecord> | undefined): StoredBatch | undefined {
    return found && { batch: found.record, resourceVersion: found.resourceVersion };
  }
}
