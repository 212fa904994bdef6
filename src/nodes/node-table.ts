// Server-side printing for `kubectl get nodes.GROUP`: a meta.k8s.io/v1 Table whose rows carry
// PartialObjectMetadata (so -L, --show-labels and sorting work as for built-in resources).
import { humanDuration } from '../common/human-duration.js';
import type { NodeView } from './node-view.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface Column {
  name: string;
  format?: string;
  description: string;
  /** 0: always shown; 1: with -o wide. */
  priority: 0 | 1;
  cell: (view: NodeView, now: number) => string;
}

/** Each column's definition next to how its cell is printed, so the two cannot drift apart. */
const COLUMNS: Column[] = [
  {
    name: 'Name',
    format: 'name',
    description: 'Name of the Node.',
    priority: 0,
    cell: (v) => v.metadata.name,
  },
  {
    name: 'Cloud',
    description: 'Cloud of the VM behind the Node.',
    priority: 0,
    cell: (v) => v.status.cloud ?? '<unknown>',
  },
  {
    name: 'Region',
    description: 'Region of the VM.',
    priority: 0,
    cell: (v) => v.status.region ?? '<unknown>',
  },
  {
    name: 'Instance',
    description: 'Instance id of the VM at its cloud.',
    priority: 0,
    cell: (v) => v.status.instanceID ?? '<none>',
  },
  { name: 'Ready', description: 'The Node Ready condition.', priority: 0, cell: (v) => v.status.ready },
  {
    name: 'Age',
    description: 'Time since the Node was created.',
    priority: 0,
    cell: (v, now) => {
      const created = v.metadata.creationTimestamp;
      return created ? humanDuration(now - Date.parse(created)) : '<unknown>';
    },
  },
  { name: 'Zone', description: 'Zone of the VM.', priority: 1, cell: (v) => v.status.zone ?? '<none>' },
  {
    name: 'Message',
    description: 'Why the VM cannot be restarted.',
    priority: 1,
    cell: (v) => v.status.message ?? '',
  },
  {
    name: 'Power',
    description: 'Stopped when the VM was stopped through this API and the Node has not been Ready since.',
    priority: 1,
    cell: (v) => v.status.powerState ?? '',
  },
  {
    name: 'Restart',
    description: 'Phase of the latest restart through this API.',
    priority: 1,
    cell: (v) => v.status.restart?.phase ?? '',
  },
];

const COLUMN_DEFINITIONS = COLUMNS.map(({ name, format = '', description, priority }) => ({
  name,
  type: 'string',
  format,
  description,
  priority,
}));

export function partialObjectMetadata(view: NodeView) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: view.metadata };
}

export function nodeTable(
  views: NodeView[],
  listMeta: { resourceVersion?: string; continue?: string },
  includeObject: IncludeObject,
  tableVersion: string,
  now = Date.now(),
) {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata: listMeta,
    columnDefinitions: COLUMN_DEFINITIONS,
    rows: views.map((v) => {
      const row: { cells: unknown[]; object?: unknown } = { cells: COLUMNS.map((c) => c.cell(v, now)) };
      if (includeObject === 'Metadata') row.object = partialObjectMetadata(v);
      else if (includeObject === 'Object') row.object = v;
      return row;
    }),
  };
}
