// The answers to /apis, /apis/GROUP and /apis/GROUP/v1 (legacy and aggregated discovery), and the OpenAPI
// documents. Bodies are precomputed: the aggregator's availability probe must always answer fast.
import { Injectable } from '@nestjs/common';
import { ServerOptions } from '../config/server-options.js';
import { acceptsPlainJson, parseAccept } from '../apiserver/accept.js';
import { StatusError, notAcceptable, notFound, type HttpReply } from '../apiserver/status.js';
import {
  AGGREGATED_GROUP,
  aggregatedContentType,
  buildDiscoveryDocuments,
  type Document,
} from './discovery-documents.js';
import { buildOpenApiDocuments } from './openapi.js';
import { VERSION } from '../apiserver/resource-catalog.js';

const JSON_TYPE = 'application/json';

@Injectable()
export class ApiDiscoveryService {
  private readonly docs;
  readonly openapi;

  constructor(private readonly options: ServerOptions) {
    this.docs = buildDiscoveryDocuments(options.apiGroup);
    this.openapi = buildOpenApiDocuments(options.apiGroup);
  }

  apis(accept: string | undefined, ifNoneMatch: string | undefined): HttpReply {
    const ranges = parseAccept(accept);
    if (ranges.length === 0) return reply(JSON_TYPE, this.docs.groupList);
    for (const r of ranges) {
      const v =
        r.type === JSON_TYPE && r.params.g === AGGREGATED_GROUP && r.params.as === 'APIGroupDiscoveryList'
          ? r.params.v
          : undefined;
      if (v === 'v2' || v === 'v2beta1') {
        const doc = this.docs.aggregated[v];
        const caching = { ETag: doc.etag, Vary: 'Accept', 'Cache-Control': 'public' };
        if (ifNoneMatch === doc.etag) return { statusCode: 304, headers: caching, body: '' };
        return reply(aggregatedContentType(v), doc, caching);
      }
      if (acceptsPlainJson(r)) return reply(JSON_TYPE, this.docs.groupList);
    }
    throw new StatusError(
      notAcceptable(['application/json', aggregatedContentType('v2'), aggregatedContentType('v2beta1')]),
    );
  }

  group(group: string, accept: string | undefined): HttpReply {
    this.requireGroup(group);
    return replyJson(accept, this.docs.group);
  }

  resources(group: string, version: string, accept: string | undefined): HttpReply {
    this.requireGroup(group, version);
    return replyJson(accept, this.docs.resourceList);
  }

  requireGroup(group: string, version = VERSION): void {
    if (group !== this.options.apiGroup || version !== VERSION) throw new StatusError(notFound());
  }
}

function reply(type: string, doc: Document, headers: Record<string, string> = {}): HttpReply {
  return { statusCode: 200, headers: { ...headers, 'Content-Type': type }, body: doc.body };
}

/** Discovery documents exist only as JSON; a client that accepts nothing JSON-compatible gets 406. */
function replyJson(accept: string | undefined, doc: Document): HttpReply {
  const ranges = parseAccept(accept);
  if (ranges.length && !ranges.some(acceptsPlainJson))
    throw new StatusError(notAcceptable(['application/json']));
  return reply(JSON_TYPE, doc);
}
