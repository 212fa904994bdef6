// Server-side printing for `kubectl get restartbatches`: what a batch selects, how many at a time, how far it is.
import type { TableColumn } from '../../apiserver/table.js';
import { humanDuration } from '../../common/human-duration.js';
import type { RestartBatchObject } from './batch-view.js';

const count = (batch: RestartBatchObject, phase: string) =>
  batch.status.nodes.filter((n) => n.phase === phase).length;

export const BATCH_COLUMNS: readonly TableColumn<RestartBatchObject>[] = [
  {
    name: 'Name',
    format: 'name',
    description: 'Name of the batch.',
    priority: 0,
    cell: (b) => b.metadata.name,
  },
  {
    name: 'Selector',
    description: 'The label selector of the Nodes the batch restarts.',
    priority: 0,
    cell: (b) => b.spec.labelSelector,
  },
  {
    name: 'Max-Unavailable',
    type: 'integer',
    description: 'Nodes restarted at a time, at most.',
    priority: 0,
    cell: (b) => b.spec.maxUnavailable,
  },
  {
    name: 'Done',
    type: 'integer',
    description: 'Nodes restarted successfully.',
    priority: 0,
    cell: (b) => count(b, 'Succeeded'),
  },
  {
    name: 'Failed',
    type: 'integer',
    description: 'Nodes whose restart failed.',
    priority: 0,
    cell: (b) => count(b, 'Failed'),
  },
  {
    name: 'Total',
    type: 'integer',
    description: 'Nodes the batch selected.',
    priority: 0,
    cell: (b) => b.status.nodes.length,
  },
  { name: 'Phase', description: 'Running, Succeeded or Failed.', priority: 0, cell: (b) => b.status.phase },
  {
    name: 'Suspended',
    description: 'Whether the batch is suspended (spec.suspend): it starts no more nodes.',
    priority: 0,
    cell: (b) => String(b.spec.suspend),
  },
  {
    name: 'Age',
    description: 'Time since the batch was created.',
    priority: 0,
    cell: (b, now) => humanDuration(now - Date.parse(b.metadata.creationTimestamp)),
  },
  {
    name: 'Requested-By',
    description: 'Who created the batch.',
    priority: 1,
    cell: (b) => b.status.requestedBy,
  },
  { name: 'Message', description: 'How far the batch is.', priority: 1, cell: (b) => b.status.message },
];
