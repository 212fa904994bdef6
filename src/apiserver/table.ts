// Server-side printing (meta.k8s.io Table) and PartialObjectMetadata, for any resource: its columns, each defined
// next to how its cell is printed, so the two cannot drift apart; rows carry the object as includeObject asks.
import type { IncludeObject, Rendering } from './negotiation.js';
import { jsonReply } from './reply.js';
import type { HttpReply } from './status.js';

export interface TableColumn<V> {
  name: string;
  type?: 'string' | 'integer';
  format?: string;
  description: string;
  /** 0: always shown; 1: with -o wide. */
  priority: 0 | 1;
  cell: (view: V, now: number) => string | number;
}

export interface Viewed {
  metadata: { name: string; resourceVersion?: string };
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function columnDefinitions<V>(columns: readonly TableColumn<V>[]) {
  return columns.map(({ name, type = 'string', format = '', description, priority }) => ({
    name,
    type,
    format,
    description,
    priority,
  }));
}

export function partialObjectMetadata(view: Viewed, version = 'v1') {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: view.metadata };
}

export function rowObject(view: Viewed, includeObject: IncludeObject): unknown {
  if (includeObject === 'Metadata') return partialObjectMetadata(view);
  if (includeObject === 'Object') return view;
  return undefined;
}

/**
 * The Table's frame; a watch sends the column definitions with its first event only (Go's NoHeaders on the
 * following ones, which leaves them null).
 */
export function tableFrame<V>(
  columns: readonly TableColumn<V>[],
  listMeta: ListMeta,
  tableVersion: string,
  noHeaders = false,
) {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata: listMeta,
    columnDefinitions: noHeaders ? null : columnDefinitions(columns),
  };
}

export function table<V extends Viewed>(
  columns: readonly TableColumn<V>[],
  views: readonly V[],
  listMeta: ListMeta,
  includeObject: IncludeObject,
  tableVersion: string,
  now = Date.now(),
  noHeaders = false,
) {
  return {
    ...tableFrame(columns, listMeta, tableVersion, noHeaders),
    rows: views.map((v) => {
      const row: { cells: unknown[]; object?: unknown } = { cells: columns.map((c) => c.cell(v, now)) };
      const object = rowObject(v, includeObject);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}

/** PartialObjectMetadataList of the views. */
export function partialObjectMetadataList(views: readonly Viewed[], listMeta: ListMeta, version: string) {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    items: views.map((v) => partialObjectMetadata(v, version)),
  };
}

/** One object in the rendering negotiated: itself, a one-row Table, or its PartialObjectMetadata. */
export function objectReply<V extends Viewed>(
  view: V,
  columns: readonly TableColumn<V>[],
  rendering: Rendering,
  includeObject: IncludeObject,
): HttpReply {
  if (rendering.as === 'table') {
    const listMeta = view.metadata.resourceVersion ? { resourceVersion: view.metadata.resourceVersion } : {};
    return jsonReply(table(columns, [view], listMeta, includeObject, rendering.version));
  }
  if (rendering.as === 'metadata') return jsonReply(partialObjectMetadata(view, rendering.version));
  return jsonReply(view);
}
