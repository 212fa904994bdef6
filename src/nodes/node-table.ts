// Server-side printing for `kubectl get nodes.GROUP`: a meta.k8s.io/v1 Table whose rows carry
// PartialObjectMetadata (so -L, --show-labels and sorting work as for built-in resources).
import { EncodedJson, encode, joined, keptBytes, listFrame } from '../apiserver/encoded-json.js';
import { humanDuration } from '../common/human-duration.js';
import type { IncludeObject } from '../apiserver/negotiation.js';
import {
  partialObjectMetadata,
  table,
  tableFrame,
  type ListMeta,
  type TableColumn,
} from '../apiserver/table.js';
import { encodedMetadata, encodedView, type NodeView } from './node-view.js';

type Column = TableColumn<NodeView>;

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

export { partialObjectMetadata };

export function nodeTable(
  views: NodeView[],
  listMeta: ListMeta,
  includeObject: IncludeObject,
  tableVersion: string,
  now = Date.now(),
  noHeaders = false,
) {
  return table(COLUMNS, views, listMeta, includeObject, tableVersion, now, noHeaders);
}

// The Table as kept bytes: each row is encoded once per view and includeObject, around its Age cell, the one
// cell that changes with the clock; ages repeat across rows, so their encodings are kept too (a bounded memo).
const AGE = COLUMNS.findIndex((c) => c.name === 'Age');
const rowParts = new WeakMap<NodeView, [Buffer, Buffer]>();
const ages = new Map<string, Buffer>();

// A row's object is the view's own bytes (Object), or its metadata's, a slice of them (Metadata), between
// shared frames: every row of every Table refers to one copy of each Node's labels.
const OBJECT_HEAD = keptBytes(',"object":');
const METADATA_HEAD = keptBytes(
  `,"object":${JSON.stringify(partialObjectMetadata({ metadata: {} } as NodeView)).slice(0, -3)}`,
);
const ROW_TAIL = keptBytes('}');
const OBJECT_TAIL = keptBytes('}}');

function objectParts(view: NodeView, includeObject: IncludeObject): Buffer[] {
  if (includeObject === 'Object') return [OBJECT_HEAD, encodedView(view), ROW_TAIL];
  if (includeObject === 'Metadata') return [METADATA_HEAD, encodedMetadata(view), OBJECT_TAIL];
  return [ROW_TAIL];
}

/** The row around its Age cell: the cells before it, and the cells after it (shared by every includeObject). */
function encodedRowParts(view: NodeView): [Buffer, Buffer] {
  let kept = rowParts.get(view);
  if (kept) return kept;
  const cells = COLUMNS.map((c) => c.cell(view, 0));
  const before = JSON.stringify(cells.slice(0, AGE)).slice(0, -1); // `["a","b"`
  const after = JSON.stringify(cells.slice(AGE + 1)).slice(1); // `"c","d"]`
  kept = [
    keptBytes(`{"cells":${before}${AGE > 0 ? ',' : ''}`),
    keptBytes(`${AGE < COLUMNS.length - 1 ? ',' : ''}${after}`),
  ];
  rowParts.set(view, kept);
  return kept;
}

function encodedAge(view: NodeView, now: number): Buffer {
  const age = String(COLUMNS[AGE]!.cell(view, now));
  let bytes = ages.get(age);
  if (!bytes) {
    if (ages.size >= 10_000) ages.clear();
    ages.set(age, (bytes = encode(age)));
  }
  return bytes;
}

/** nodeTable's bytes, built from the kept rows; JSON.stringify of it is nodeTable's own text. */
export function encodedNodeTable(
  views: NodeView[],
  listMeta: ListMeta,
  includeObject: IncludeObject,
  tableVersion: string,
  now = Date.now(),
  noHeaders = false,
): EncodedJson {
  const [head, tail] = listFrame(tableFrame(COLUMNS, listMeta, tableVersion, noHeaders), 'rows');
  const rows = views.map((v) => {
    const [start, end] = encodedRowParts(v);
    return [start, encodedAge(v, now), end, ...objectParts(v, includeObject)];
  });
  return new EncodedJson(joined(head, rows, tail), () =>
    nodeTable(views, listMeta, includeObject, tableVersion, now, noHeaders),
  );
}
