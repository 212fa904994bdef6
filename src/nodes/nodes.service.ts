// Reads of our `nodes` resource, served from the Node cache.
import { Injectable } from '@nestjs/common';
import { ServerOptions } from '../config/server-options.js';
import { NodeCache, sortedByName } from '../kube/node-cache.js';
import { listedState } from '../apiserver/watch/list-options.js';
import { StatusError, notFound } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import type { V1Node } from '@kubernetes/client-node';
import { cutPage, pageStart, type Page } from '../apiserver/list-page.js';
import { parseNodeSelection, selects } from '../apiserver/selectors/node-selection.js';
import { EncodedJson, listFrame } from '../apiserver/encoded-json.js';
import { metadataHead } from './node-table.js';
import type { Pieces } from '../apiserver/pieces.js';
import type { EncodedNode } from './encoded-node.js';
import { NodeEncodings } from './node-encodings.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: string;
  continue?: string;
}

export type NodePage = Page<V1Node>;

const MIB = 1024 * 1024;
const OBJECT_TAIL = Buffer.from('}');

@Injectable()
export class NodesService {
  readonly encodings: NodeEncodings;

  constructor(
    private readonly cache: NodeCache,
    private readonly options: ServerOptions,
  ) {
    this.encodings = new NodeEncodings(
      options.apiGroup,
      options.nodeEncodingCacheMib * MIB,
      (node) => cache.get(node.metadata!.name!) === node,
    );
    cache.onChange((node) => this.encodings.forget(node.metadata!.name!));
  }

  get resource() {
    return { group: this.options.apiGroup, resource: 'nodes' };
  }

  /** The recent Node changes, for watches. */
  get changes() {
    return this.cache.changes;
  }

  nodes(): readonly V1Node[] {
    return this.cache.list();
  }

  async get(name: string): Promise<EncodedNode> {
    const node = this.cache.get(name);
    if (!node) throw new StatusError(notFound({ ...this.resource, name }));
    return this.encodings.encoding(node);
  }

  /** A page of the nodes, now or (`at`) as they were at that revision (list-options.ts). */
  async list(q: ListQuery, at?: number): Promise<NodePage> {
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    const start = pageStart(q);
    const pinned = selection.pinnedName;
    const candidates =
      at !== undefined
        ? sortedByName(listedState(this.cache.changes, this.cache.list(), at))
        : pinned
          ? [this.cache.get(pinned)].filter((n) => n !== undefined)
          : this.cache.list();
    const matching = candidates.filter(
      (n) =>
        (start === undefined || n.metadata!.name! > start) &&
        selects(selection, n.metadata!.name!, n.metadata!.labels),
    );
    return cutPage(matching, (n) => n.metadata!.name!, q, String(at ?? this.cache.resourceVersion()));
  }

  /** Whether a Node is one a watch with these selectors sees. */
  selector(q: ListQuery): (node: V1Node) => boolean {
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    return (n) => selects(selection, n.metadata!.name!, n.metadata!.labels);
  }

  /** The NodeList, from each Node's kept (or just made) bytes. */
  listObject(page: NodePage): EncodedJson<V1Node, EncodedNode> {
    const list = {
      kind: 'NodeList',
      apiVersion: `${this.options.apiGroup}/${VERSION}`,
      metadata: page.metadata,
    };
    return this.encodedList(listFrame(list, 'items'), page, (n, into) => n.putJson(into));
  }

  /** The PartialObjectMetadataList, each item around its Node's metadata bytes. */
  metadataList(page: NodePage, version: string): EncodedJson<V1Node, EncodedNode> {
    const list = {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${version}`,
      metadata: page.metadata,
    };
    const itemHead = Buffer.from(metadataHead(version));
    return this.encodedList(listFrame(list, 'items'), page, (n, into) => {
      into.put(itemHead);
      n.putMetadata(into);
      into.put(OBJECT_TAIL);
    });
  }

  private encodedList(
    frame: [Buffer, Buffer],
    page: NodePage,
    put: (node: EncodedNode, into: Pieces) => void,
  ): EncodedJson<V1Node, EncodedNode> {
    return new EncodedJson(frame, page.items, put, (n) => this.encodings.encoding(n));
  }
}
