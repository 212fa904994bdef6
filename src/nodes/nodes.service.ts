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
import { EncodedJson, joined, listFrame } from '../apiserver/encoded-json.js';
import { encodedNode, encodedNodes, type EncodedNode } from './encoded-node.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: string;
  continue?: string;
}

export type NodePage = Page<EncodedNode>;

@Injectable()
export class NodesService {
  constructor(
    private readonly cache: NodeCache,
    private readonly options: ServerOptions,
  ) {}

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
    return encodedNode(node, this.options.apiGroup);
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
    const page = cutPage(matching, (n) => n.metadata!.name!, q, String(at ?? this.cache.resourceVersion()));
    const items = await encodedNodes(page.items, this.options.apiGroup);
    return { items, metadata: page.metadata };
  }

  /** Whether a Node is one a watch with these selectors sees. */
  selector(q: ListQuery): (node: V1Node) => boolean {
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    return (n) => selects(selection, n.metadata!.name!, n.metadata!.labels);
  }

  /** The NodeList, from each Node's kept bytes. */
  listObject(page: NodePage): EncodedJson {
    const list = {
      kind: 'NodeList',
      apiVersion: `${this.options.apiGroup}/${VERSION}`,
      metadata: page.metadata,
    };
    const [head, tail] = listFrame(list, 'items');
    return new EncodedJson(
      joined(head, page.items, tail, (n, chunks) => chunks.push(n.json)),
      () => ({ ...list, items: page.items.map((n) => n.view()) }),
    );
  }
}
