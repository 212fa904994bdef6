// GET /apis/GROUP/v1/nodes/NAME/restart: the node's latest restart as a NodeRestart, a Table for kubectl, or
// PartialObjectMetadata, as the Accept header asks.
import type { TableColumn } from '../../apiserver/table.js';
import { humanDuration } from '../../common/human-duration.js';
import { objectRoute } from '../../apiserver/group-version.js';
import type { NodeRestart } from './node-restart.js';
import { RestartService } from './restart.service.js';

const COLUMNS: readonly TableColumn<NodeRestart>[] = [
  {
    name: 'Name',
    format: 'name',
    description: 'Name of the Node.',
    priority: 0,
    cell: (r) => r.metadata.name,
  },
  { name: 'Phase', description: 'Where the restart stands.', priority: 0, cell: (r) => r.status.phase },
  {
    name: 'Mode',
    description: 'Graceful, hard, or graceful then hard.',
    priority: 0,
    cell: (r) => r.status.mode,
  },
  { name: 'Requested-By', description: 'Who asked.', priority: 0, cell: (r) => r.status.requestedBy },
  {
    name: 'Age',
    description: 'Time since the restart was asked for.',
    priority: 0,
    cell: (r, now) => humanDuration(now - Date.parse(r.metadata.creationTimestamp)),
  },
  { name: 'Message', description: 'What happened last.', priority: 1, cell: (r) => r.status.message },
];

export const RESTART_ROUTES = [
  objectRoute('apis/:group/:version/nodes/:name/restart', RestartService, COLUMNS, (restarts, name) =>
    restarts.status(name),
  ),
];
