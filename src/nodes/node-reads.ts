// GET /apis/GROUP/v1/nodes and /apis/GROUP/v1/nodes/NAME: the parameters → NodesService → the rendering the Accept
// header asks for: our objects, a Table for kubectl, or PartialObjectMetadata for the garbage collector; and the
// watch of the collection, from the Node informer's events.
import type { V1Node } from '@kubernetes/client-node';
import { readRoute, type ApiRequest } from '../apiserver/read-routes.js';
import { jsonReply } from '../apiserver/reply.js';
import type { HttpReply } from '../apiserver/status.js';
import { partialObjectMetadata } from '../apiserver/table.js';
import { checkListVersion, isWatch } from '../apiserver/watch/list-options.js';
import { watchReply, type Watchable } from '../apiserver/watch/watch-reply.js';
import { withResourceVersion } from '../apiserver/watch/watch-stream.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import { readRequest } from '../apiserver/group-version.js';
import { NodesService } from './nodes.service.js';
import { encodedNodeTable } from './node-table.js';
import type { EncodedNode } from './encoded-node.js';

const itself = (node: EncodedNode) => node;

function watchable(nodes: NodesService, query: ApiRequest['query']): Watchable<V1Node, EncodedNode> {
  const group = nodes.resource.group;
  return {
    kind: 'Node',
    apiVersion: `${group}/${VERSION}`,
    feed: {
      ring: nodes.changes,
      current: () => nodes.nodes(),
      matches: nodes.selector(query),
      atVersion: withResourceVersion,
    },
    view: (node) => nodes.encodings.encoding(node),
    json: (node) => node.json,
    table: (node, resourceVersion, include, version, noHeaders) =>
      encodedNodeTable([node], itself, { resourceVersion }, include, version, Date.now(), noHeaders).bytes(),
  };
}

async function listNodes(nodes: NodesService, req: ApiRequest): Promise<HttpReply> {
  const { include, rendering } = readRequest(nodes.resource.group, req, true);
  if (isWatch(req.query)) return watchReply(watchable(nodes, req.query), req.query, rendering, include);
  const at = await checkListVersion(req.query, nodes.changes);
  const page = await nodes.list(req.query, at);
  if (rendering.as === 'table')
    return jsonReply(
      encodedNodeTable(
        page.items,
        (n) => nodes.encodings.encoding(n),
        page.metadata,
        include,
        rendering.version,
      ),
    );
  if (rendering.as === 'metadata') return jsonReply(nodes.metadataList(page, rendering.version));
  return jsonReply(nodes.listObject(page));
}

async function getNode(nodes: NodesService, req: ApiRequest): Promise<HttpReply> {
  const { include, rendering } = readRequest(nodes.resource.group, req, false);
  const node = await nodes.get(req.params.name!);
  if (rendering.as === 'table')
    return jsonReply(
      encodedNodeTable(
        [node],
        itself,
        { resourceVersion: node.metadata.resourceVersion },
        include,
        rendering.version,
      ),
    );
  if (rendering.as === 'metadata') return jsonReply(partialObjectMetadata(node, rendering.version));
  return jsonReply(node.json);
}

export const NODE_ROUTES = [
  readRoute({ path: 'apis/:group/:version/nodes', service: NodesService, answer: listNodes }),
  readRoute({ path: 'apis/:group/:version/nodes/:name', service: NodesService, answer: getNode }),
];
