// GET /apis/GROUP/v1/restartbatches and …/restartbatches/NAME: the batches as objects, a Table for kubectl or
// PartialObjectMetadata, pages with limit and continue, and the watch of the collection from the batch Leases' events.
import type { V1Lease } from '@kubernetes/client-node';
import { readRoute, type ApiRequest } from '../../apiserver/read-routes.js';
import { jsonReply } from '../../apiserver/reply.js';
import type { HttpReply } from '../../apiserver/status.js';
import { VERSION } from '../../apiserver/resource-catalog.js';
import { partialObjectMetadataList, table } from '../../apiserver/table.js';
import { checkListVersion, isWatch } from '../../apiserver/watch/list-options.js';
import { watchReply, type Watchable } from '../../apiserver/watch/watch-reply.js';
import { objectRoute, readRequest } from '../../nodes/group-version.js';
import { BATCH_KIND } from './batch-request.js';
import { BATCH_COLUMNS } from './batch-table.js';
import type { RestartBatchObject } from './batch-view.js';
import { RestartBatchService } from './restart-batch.service.js';

function watchable(
  batches: RestartBatchService,
  query: ApiRequest['query'],
): Watchable<V1Lease, RestartBatchObject> {
  return {
    kind: BATCH_KIND,
    apiVersion: `${batches.group}/${VERSION}`,
    feed: {
      ring: batches.changes,
      current: () => batches.leases(),
      matches: batches.selector(query),
    },
    view: (lease) => batches.leaseView(lease),
    json: (view) => JSON.stringify(view),
    table: (view, resourceVersion, include, version, noHeaders) =>
      JSON.stringify(
        table(BATCH_COLUMNS, [view], { resourceVersion }, include, version, Date.now(), noHeaders),
      ),
  };
}

async function listBatches(batches: RestartBatchService, req: ApiRequest): Promise<HttpReply> {
  const { include, rendering } = readRequest(batches.group, req, true);
  if (isWatch(req.query)) return watchReply(watchable(batches, req.query), req.query, rendering, include);
  const at = await checkListVersion(req.query, batches.changes);
  const page = batches.list(req.query, at);
  if (rendering.as === 'table')
    return jsonReply(table(BATCH_COLUMNS, page.items, page.metadata, include, rendering.version));
  if (rendering.as === 'metadata')
    return jsonReply(partialObjectMetadataList(page.items, page.metadata, rendering.version));
  return jsonReply(batches.listObject(page));
}

export const RESTART_BATCH_ROUTES = [
  readRoute({
    path: 'apis/:group/:version/restartbatches',
    service: RestartBatchService,
    answer: listBatches,
  }),
  objectRoute(
    'apis/:group/:version/restartbatches/:name',
    RestartBatchService,
    BATCH_COLUMNS,
    (batches, name) => batches.get(name),
  ),
];
