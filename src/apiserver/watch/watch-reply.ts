// A watch of a resource in the rendering its Accept header chose: its objects, Table rows (kubectl get -w asks
// for as=Table) or PartialObjectMetadata, each event's object built from the item the resource's ring holds.
import type { Rendering, IncludeObject } from '../negotiation.js';
import type { HttpReply } from '../status.js';
import { partialObjectMetadata, type Viewed } from '../table.js';
import { watchOptions, type ListQuery } from './list-options.js';
import { serveWatch, type WatchFeed, type WatchRendering } from './watch-stream.js';

type Json = string | Buffer | readonly Buffer[];

export interface Watchable<T, V extends Viewed> {
  kind: string;
  apiVersion: string;
  feed: WatchFeed<T>;
  /** The view we serve of an item the ring holds. */
  view(item: T): V | Promise<V>;
  json(view: V): Json;
  /** A Table of the one view (column definitions left out with `noHeaders`). */
  table(
    view: V,
    resourceVersion: string,
    include: IncludeObject,
    version: string,
    noHeaders: boolean,
  ): Json | Promise<Json>;
}

function renderingOf<T, V extends Viewed>(
  w: Watchable<T, V>,
  rendering: Rendering,
  include: IncludeObject,
): WatchRendering<T> {
  const metadata = (resourceVersion: string, annotations?: Record<string, string>) => ({
    resourceVersion,
    ...(annotations ? { annotations } : {}),
  });
  if (rendering.as === 'table')
    return {
      object: async (item, rv, first) => w.table(await w.view(item), rv, include, rendering.version, !first),
      bookmark: (rv, annotations) =>
        JSON.stringify({
          kind: 'Table',
          apiVersion: `meta.k8s.io/${rendering.version}`,
          metadata: metadata(rv, annotations),
          columnDefinitions: null,
          rows: null,
        }),
    };
  if (rendering.as === 'metadata')
    return {
      object: async (item) => JSON.stringify(partialObjectMetadata(await w.view(item), rendering.version)),
      bookmark: (rv, annotations) =>
        JSON.stringify({
          kind: 'PartialObjectMetadata',
          apiVersion: `meta.k8s.io/${rendering.version}`,
          metadata: metadata(rv, annotations),
        }),
    };
  return {
    object: async (item) => w.json(await w.view(item)),
    bookmark: (rv, annotations) =>
      JSON.stringify({ kind: w.kind, apiVersion: w.apiVersion, metadata: metadata(rv, annotations) }),
  };
}

/** The watch the query asks for; its parameters are checked before any byte is sent. */
export function watchReply<T, V extends Viewed>(
  w: Watchable<T, V>,
  query: ListQuery,
  rendering: Rendering,
  include: IncludeObject,
): HttpReply {
  const options = watchOptions(query);
  const eventRendering = renderingOf(w, rendering, include);
  return {
    statusCode: 200,
    headers: {},
    body: '',
    stream: (res) => serveWatch(res, w.feed, options, eventRendering, 'application/json'),
  };
}
