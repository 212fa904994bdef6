// GET /apis/GROUP/v1/restartbatches and …/restartbatches/NAME: the batches as objects, a Table for kubectl or
// PartialObjectMetadata, pages with limit and continue, and the watch of the collection from the batch Leases' events.
import { objectReadRoutes } from '../../apiserver/object-reads.js';
import { BATCH_COLUMNS } from './batch-table.js';
import { RestartBatchService } from './restart-batch.service.js';

export const RESTART_BATCH_ROUTES = objectReadRoutes('restartbatches', RestartBatchService, BATCH_COLUMNS);
