// Server-side printing for `kubectl get nodes.GROUP`: a meta.k8s.io/v1 Table whose rows carry
// PartialObjectMetadata (so -L, --show-labels and sorting work as for built-in resources).
import { EncodedJson, encode, keptBytes, listFrame } from '../apiserver/encoded-json.js';
import type { Pieces } from '../apiserver/pieces.js';
import { humanDuration } from '../common/human-duration.js';
import type { IncludeObject } from '../apiserver/negotiation.js';
import {
  partialObjectMetadata,
  table,
  tableFrame,
  type ListMeta,
  type TableColumn,
} from '../apiserver/table.js';
import type { EncodedNode } from './encoded-node.js';
import type { NodeView } from './node-view.js';

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
    cell: (v, now) => age(createdAt(v), now),
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

/** The view's creationTimestamp in ms since the epoch, undefined without one. */
export function createdAt(view: NodeView): number | undefined {
  const created = view.metadata.creationTimestamp;
  return created ? Date.parse(created) : undefined;
}

const age = (created: number | undefined, now: number) =>
  created === undefined ? '<unknown>' : humanDuration(now - created);

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

// The Table as kept bytes: each row is encoded once per view (encoded-node.ts), around its Age cell, the one cell
// that changes with the clock; ages repeat across rows, so their encodings are kept too (a bounded memo).
const AGE = COLUMNS.findIndex((c) => c.name === 'Age');
const ages = new Map<string, Buffer>();

// A row's object is the view's own bytes (Object), or its metadata's, a slice of them (Metadata), between
// shared frames: every row of every Table refers to one copy of each Node's labels.
const OBJECT_HEAD = keptBytes(',"object":');
/** PartialObjectMetadata's text up to its metadata: `{"kind":"PartialObjectMetadata",…,"metadata":`. */
export const metadataHead = (version = 'v1') =>
  JSON.stringify(partialObjectMetadata({ metadata: {} } as NodeView, version)).slice(0, -3);

const METADATA_HEAD = keptBytes(`,"object":${metadataHead()}`);
const ROW_TAIL = keptBytes('}');
const OBJECT_TAIL = keptBytes('}}');

function putRow(into: Pieces, node: EncodedNode, age: Buffer, includeObject: IncludeObject): void {
  node.putRowStart(into);
  into.put(age);
  node.putRowEnd(into);
  if (includeObject === 'Object') {
    into.put(OBJECT_HEAD);
    node.putJson(into);
    into.put(ROW_TAIL);
  } else if (includeObject === 'Metadata') {
    into.put(METADATA_HEAD);
    node.putMetadata(into);
    into.put(OBJECT_TAIL);
  } else into.put(ROW_TAIL);
}

/** A row's text around its Age cell: the cells before it (`{"cells":["a","b",`), and after it (`,"c","d"]`). */
export function rowText(view: NodeView): [string, string] {
  const cells = COLUMNS.map((c) => c.cell(view, 0));
  const before = JSON.stringify(cells.slice(0, AGE)).slice(0, -1); // `["a","b"`
  const after = JSON.stringify(cells.slice(AGE + 1)).slice(1); // `"c","d"]`
  return [`{"cells":${before}${AGE > 0 ? ',' : ''}`, `${AGE < COLUMNS.length - 1 ? ',' : ''}${after}`];
}

function encodedAge(node: EncodedNode, now: number): Buffer {
  const text = age(node.created, now);
  let bytes = ages.get(text);
  if (!bytes) {
    if (ages.size >= 10_000) ages.clear();
    ages.set(text, (bytes = encode(text)));
  }
  return bytes;
}

/**
 * nodeTable's bytes, from the kept rows of the items' encodings (`encoding` gives each, kept or made as its row is
 * written): nodeTable's own text.
 */
export function encodedNodeTable<T>(
  items: readonly T[],
  encoding: (item: T) => EncodedNode | Promise<EncodedNode>,
  listMeta: ListMeta,
  includeObject: IncludeObject,
  tableVersion: string,
  now = Date.now(),
  noHeaders = false,
): EncodedJson<T, EncodedNode> {
  const frame = listFrame(tableFrame(COLUMNS, listMeta, tableVersion, noHeaders), 'rows');
  return new EncodedJson(
    frame,
    items,
    (n, into) => putRow(into, n, encodedAge(n, now), includeObject),
    encoding,
  );
}
