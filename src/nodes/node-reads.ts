// GET /apis/GROUP/v1/nodes and /apis/GROUP/v1/nodes/NAME: the parameters → NodesService → the rendering the Accept
// header asks for: our objects, a Table for kubectl, or PartialObjectMetadata for the garbage collector.
import { readRoute, type ApiRequest } from '../apiserver/read-routes.js';
import { jsonReply } from '../apiserver/reply.js';
import { StatusError, methodNotAllowed, type HttpReply } from '../apiserver/status.js';
import { includeObjectOption, requireRendering } from '../apiserver/negotiation.js';
import { EncodedJson } from '../apiserver/encoded-json.js';
import { requireServedGroupVersion } from './group-version.js';
import { NodesService } from './nodes.service.js';
import { encodedNodeTable, partialObjectMetadata } from './node-table.js';
import { encodedView } from './node-view.js';

async function listNodes(nodes: NodesService, { params, query, headers }: ApiRequest): Promise<HttpReply> {
  requireServedGroupVersion(nodes.resource.group, params.group!, params.version!);
  const include = includeObjectOption(query.includeObject);
  const rendering = requireRendering(headers.accept, true);
  if (query.watch !== undefined && query.watch !== 'false' && query.watch !== '0')
    throw new StatusError(methodNotAllowed());
  const page = await nodes.list(query);
  if (rendering.as === 'table')
    return jsonReply(encodedNodeTable(page.items, page.metadata, include, rendering.version));
  if (rendering.as === 'metadata')
    return jsonReply({
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${rendering.version}`,
      metadata: page.metadata,
      items: page.items.map(partialObjectMetadata),
    });
  return jsonReply(nodes.listObject(page));
}

async function getNode(nodes: NodesService, { params, query, headers }: ApiRequest): Promise<HttpReply> {
  requireServedGroupVersion(nodes.resource.group, params.group!, params.version!);
  const include = includeObjectOption(query.includeObject);
  const rendering = requireRendering(headers.accept, false);
  const view = await nodes.get(params.name!);
  if (rendering.as === 'table')
    return jsonReply(
      encodedNodeTable(
        [view],
        { resourceVersion: view.metadata.resourceVersion },
        include,
        rendering.version,
      ),
    );
  if (rendering.as === 'metadata')
    return jsonReply({ ...partialObjectMetadata(view), apiVersion: `meta.k8s.io/${rendering.version}` });
  return jsonReply(new EncodedJson([encodedView(view)], () => view));
}

export const NODE_ROUTES = [
  readRoute({ path: 'apis/:group/:version/nodes', service: NodesService, answer: listNodes }),
  readRoute({ path: 'apis/:group/:version/nodes/:name', service: NodesService, answer: getNode }),
];
