// Reads of our `nodes` resource, served from the Node cache.
import { Injectable } from '@nestjs/common';
import { ServerOptions } from '../config/server-options.js';
import { NodeCache } from '../kube/node-cache.js';
import { StatusError, badRequest, notFound } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { parseNodeSelection, selects } from './node-selection.js';
import { EncodedJson, joined, listFrame } from '../apiserver/encoded-json.js';
import { encodedView, nodeView, type NodeView } from './node-view.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: string;
  continue?: string;
}

export interface NodePage {
  items: NodeView[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

@Injectable()
export class NodesService {
  constructor(
    private readonly cache: NodeCache,
    private readonly options: ServerOptions,
  ) {}

  get resource() {
    return { group: this.options.apiGroup, resource: 'nodes' };
  }

  async get(name: string): Promise<NodeView> {
    const node = this.cache.get(name);
    if (!node) throw new StatusError(notFound({ ...this.resource, name }));
    return nodeView(node, this.options.apiGroup);
  }

  async list(q: ListQuery): Promise<NodePage> {
    const selection = parseNodeSelection(q.labelSelector, q.fieldSelector);
    const start = q.continue ? decodeContinue(q.continue) : undefined;
    let limit = 0;
    if (q.limit !== undefined && q.limit !== '') {
      if (!/^\d+$/.test(q.limit)) throw new StatusError(badRequest(`invalid value for limit: "${q.limit}"`));
      limit = Number(q.limit);
    }
    const resourceVersion = this.cache.resourceVersion();
    const pinned = selection.pinnedName;
    const candidates = pinned ? [this.cache.get(pinned)].filter((n) => n !== undefined) : this.cache.list();
    const matching = candidates.filter(
      (n) =>
        (start === undefined || n.metadata!.name! > start) &&
        selects(selection, n.metadata!.name!, n.metadata!.labels),
    );
    const page = limit > 0 ? matching.slice(0, limit) : matching;
    const metadata: NodePage['metadata'] = { resourceVersion };
    if (page.length < matching.length) {
      metadata.continue = encodeContinue(page.at(-1)!.metadata!.name!, resourceVersion);
      metadata.remainingItemCount = matching.length - page.length;
    }
    const items = await Promise.all(page.map((n) => nodeView(n, this.options.apiGroup)));
    return { items, metadata };
  }

  /** The NodeList, from each view's kept bytes. */
  listObject(page: NodePage): EncodedJson {
    const list = {
      kind: 'NodeList',
      apiVersion: `${this.options.apiGroup}/${VERSION}`,
      metadata: page.metadata,
    };
    const [head, tail] = listFrame(list, 'items');
    return new EncodedJson(joined(head, page.items.map(encodedView), tail), () => ({
      ...list,
      items: page.items,
    }));
  }
}
