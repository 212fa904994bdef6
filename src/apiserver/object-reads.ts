// The reads of a resource whose objects are records kept in memory from a watch (restart batches, node repair
// policies): GET of one by name, list pages in name order with limit and continue, selection by metadata.name, and
// the watch of the collection from the records' change ring, each as the object, a Table or PartialObjectMetadata.
import type { Type } from '@nestjs/common';
import { parseNodeSelection, selects } from './selectors/node-selection.js';
import { objectRoute, readRequest } from './group-version.js';
import { cutPage, pageStart, type Page, type PageQuery } from './list-page.js';
import { readRoute, type ApiRequest, type ReadRoute } from './read-routes.js';
import { jsonReply } from './reply.js';
import { VERSION } from './resource-catalog.js';
import { StatusError, notFound, type HttpReply } from './status.js';
import { partialObjectMetadataList, table, type TableColumn, type Viewed } from './table.js';
import type { EventRing } from './watch/event-ring.js';
import { checkListVersion, isWatch, listedState } from './watch/list-options.js';
import { watchReply, type Watchable } from './watch/watch-reply.js';

export interface StoredRecord<R> {
  record: R;
  resourceVersion: string;
}

/** Where the records are: what a watch of their storage objects (items W) last saw. */
export interface RecordSource<W, R> {
  readonly changes: EventRing<W>;
  watchedLeases(): readonly W[];
  storedOf(item: W): StoredRecord<R> | undefined;
  get(name: string): StoredRecord<R> | undefined;
  all(): StoredRecord<R>[];
}

export interface SelectorQuery {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectKind<R, V> {
  group: string;
  resource: string;
  kind: string;
  render: (record: R, resourceVersion?: string) => V;
}

export class ObjectReads<W, R extends { name: string }, V extends Viewed> {
  constructor(
    private readonly source: RecordSource<W, R>,
    private readonly kind: ObjectKind<R, V>,
  ) {}

  get group(): string {
    return this.kind.group;
  }

  get(name: string): V {
    const stored = this.source.get(name);
    if (!stored) throw new StatusError(notFound({ group: this.group, resource: this.kind.resource, name }));
    return this.view(stored);
  }

  view(stored: StoredRecord<R>): V {
    return this.kind.render(stored.record, stored.resourceVersion);
  }

  /** A page of the objects, in name order, after the continue token's name; at a past revision when `at` says. */
  list(q: PageQuery & SelectorQuery, at?: number): Page<V> {
    const start = pageStart(q);
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    const stored =
      at === undefined
        ? this.source.all()
        : listedState(this.source.changes, this.source.watchedLeases(), at)
            .map((item) => this.source.storedOf(item))
            .filter((s) => s !== undefined);
    const matching = stored
      .filter(({ record }) => (start === undefined || record.name > start) && selects(selection, record.name))
      .sort((a, b) => (a.record.name < b.record.name ? -1 : 1));
    const page = cutPage(matching, (s) => s.record.name, q, String(at ?? this.source.changes.latest));
    return { items: page.items.map((s) => this.view(s)), metadata: page.metadata };
  }

  listObject(page: Page<V>) {
    return {
      apiVersion: `${this.group}/${VERSION}`,
      kind: `${this.kind.kind}List`,
      metadata: page.metadata,
      items: page.items,
    };
  }

  /** The watch of the collection: the storage objects' events, those holding a selected record, as views. */
  watchable(query: SelectorQuery, columns: readonly TableColumn<V>[]): Watchable<W, V> {
    const selection = parseNodeSelection(query.labelSelector, query.fieldSelector);
    return {
      kind: this.kind.kind,
      apiVersion: `${this.group}/${VERSION}`,
      feed: {
        ring: this.source.changes,
        current: () => this.source.watchedLeases(),
        matches: (item) => {
          const stored = this.source.storedOf(item);
          return stored !== undefined && selects(selection, stored.record.name);
        },
      },
      view: (item) => this.view(this.source.storedOf(item)!),
      json: (view) => JSON.stringify(view),
      table: (view, resourceVersion, include, version, noHeaders) =>
        JSON.stringify(table(columns, [view], { resourceVersion }, include, version, Date.now(), noHeaders)),
    };
  }

  /** GET of the collection: a list page or a watch, in the rendering the Accept header asks for. */
  async answerList(req: ApiRequest, columns: readonly TableColumn<V>[]): Promise<HttpReply> {
    const { include, rendering } = readRequest(this.group, req, true);
    if (isWatch(req.query))
      return watchReply(this.watchable(req.query, columns), req.query, rendering, include);
    const at = await checkListVersion(req.query, this.source.changes);
    const page = this.list(req.query, at);
    if (rendering.as === 'table')
      return jsonReply(table(columns, page.items, page.metadata, include, rendering.version));
    if (rendering.as === 'metadata')
      return jsonReply(partialObjectMetadataList(page.items, page.metadata, rendering.version));
    return jsonReply(this.listObject(page));
  }
}

/** The read routes of a collection `resource` and its objects, answered by a service's `reads`. */
export function objectReadRoutes<W, R extends { name: string }, V extends Viewed>(
  resource: string,
  service: Type<{ group: string; reads: ObjectReads<W, R, V> }>,
  columns: readonly TableColumn<V>[],
): ReadRoute[] {
  return [
    readRoute({
      path: `apis/:group/:version/${resource}`,
      service,
      answer: (s, req) => s.reads.answerList(req, columns),
    }),
    objectRoute(`apis/:group/:version/${resource}/:name`, service, columns, (s, name) => s.reads.get(name)),
  ];
}
