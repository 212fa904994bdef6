// Server-side printing for `kubectl get nodes.GROUP`: a meta.k8s.io/v1 Table whose rows carry
// PartialObjectMetadata (so -L, --show-labels and sorting work as for built-in resources).
import { humanDuration } from '../common/human-duration.js';
import type { NodeView } from './node-view.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the Node.', priority: 0 },
  { name: 'Cloud', type: 'string', format: '', description: 'Cloud of the VM behind the Node.', priority: 0 },
  { name: 'Region', type: 'string', format: '', description: 'Region of the VM.', priority: 0 },
  {
    name: 'Instance',
    type: 'string',
    format: '',
    description: 'Instance id of the VM at its cloud.',
    priority: 0,
  },
  { name: 'Ready', type: 'string', format: '', description: 'The Node Ready condition.', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'Time since the Node was created.', priority: 0 },
  { name: 'Zone', type: 'string', format: '', description: 'Zone of the VM.', priority: 1 },
  {
    name: 'Message',
    type: 'string',
    format: '',
    description: 'Why the VM cannot be restarted.',
    priority: 1,
  },
  {
    name: 'Power',
    type: 'string',
    format: '',
    description: 'Stopped when the VM was stopped through this API and the Node has not been Ready since.',
    priority: 1,
  },
];

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
    columnDefinitions: COLUMNS,
    rows: views.map((v) => {
      const created = v.metadata.creationTimestamp;
      const s = v.status;
      const row: { cells: unknown[]; object?: unknown } = {
        cells: [
          v.metadata.name,
          s.cloud ?? '<unknown>',
          s.region ?? '<unknown>',
          s.instanceID ?? '<none>',
          s.ready,
          created ? humanDuration(now - Date.parse(created)) : '<unknown>',
          s.zone ?? '<none>',
          s.message ?? '',
          s.powerState ?? '',
        ],
      };
      if (includeObject === 'Metadata') row.object = partialObjectMetadata(v);
      else if (includeObject === 'Object') row.object = v;
      return row;
    }),
  };
}
