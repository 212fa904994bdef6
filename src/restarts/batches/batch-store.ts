// RestartBatch records on Leases in the operations namespace, read from a watch and written with their
// resourceVersion, so two replicas cannot both start the same node of a batch.
import { Injectable } from '@nestjs/common';
import { ServerOptions } from '../../config/server-options.js';
import { Leases } from '../cluster/leases.js';
import type { LeaseRecord } from '../operations/lease-records.js';
import { ObjectStore } from '../operations/object-store.js';
import {
  BATCH_ANNOTATION,
  BATCH_LABELS,
  isBatch,
  batchLeaseName,
  type RestartBatchRecord,
} from './restart-batch.js';

export type StoredBatch = LeaseRecord<RestartBatchRecord>;

@Injectable()
export class BatchStore extends ObjectStore<RestartBatchRecord> {
  constructor(leases: Leases, options: ServerOptions) {
    super(leases, {
      what: 'restart batch leases',
      group: options.apiGroup,
      resource: 'restartbatches',
      labels: BATCH_LABELS,
      annotation: BATCH_ANNOTATION,
      leaseName: batchLeaseName,
      isRecord: isBatch,
      changesKept: options.watchCacheSize,
    });
  }
}
