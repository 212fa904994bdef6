// /apis, /apis/GROUP and /apis/GROUP/v1 (legacy and aggregated discovery), and the OpenAPI documents.
// Bodies are precomputed: the aggregator's availability probe must always answer fast.
import { Controller, Get, Header, Headers, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ServerOptions } from '../config/server-options.js';
import { acceptsPlainJson, parseAccept } from '../common/accept.js';
import { StatusError, notAcceptable, notFound } from '../common/status.js';
import {
  AGGREGATED_GROUP,
  aggregatedContentType,
  buildDiscoveryDocuments,
  type Document,
} from './discovery-documents.js';
import { buildOpenApiDocuments } from './openapi.js';
import { VERSION } from './resource-catalog.js';

const JSON_TYPE = 'application/json';

@Controller()
export class DiscoveryController {
  private readonly docs;
  private readonly openapi;

  constructor(private readonly options: ServerOptions) {
    this.docs = buildDiscoveryDocuments(options.apiGroup);
    this.openapi = buildOpenApiDocuments(options.apiGroup);
  }

  @Get('apis')
  apis(
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string,
    @Res() res: Response,
  ) {
    const ranges = parseAccept(accept);
    if (ranges.length === 0) return send(res, JSON_TYPE, this.docs.groupList);
    for (const r of ranges) {
      const v =
        r.type === JSON_TYPE && r.params.g === AGGREGATED_GROUP && r.params.as === 'APIGroupDiscoveryList'
          ? r.params.v
          : undefined;
      if (v === 'v2' || v === 'v2beta1') {
        const doc = this.docs.aggregated[v];
        res.setHeader('ETag', doc.etag).setHeader('Vary', 'Accept').setHeader('Cache-Control', 'public');
        if (ifNoneMatch === doc.etag) return res.status(304).end();
        return send(res, aggregatedContentType(v), doc);
      }
      if (acceptsPlainJson(r)) return send(res, JSON_TYPE, this.docs.groupList);
    }
    throw new StatusError(
      notAcceptable(['application/json', aggregatedContentType('v2'), aggregatedContentType('v2beta1')]),
    );
  }

  @Get('apis/:group')
  group(@Param('group') group: string, @Headers('accept') accept: string | undefined, @Res() res: Response) {
    this.requireGroup(group);
    return sendJson(res, accept, this.docs.group);
  }

  @Get('apis/:group/:version')
  resources(
    @Param('group') group: string,
    @Param('version') version: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ) {
    this.requireGroup(group, version);
    return sendJson(res, accept, this.docs.resourceList);
  }

  @Get('openapi/v2')
  @Header('Content-Type', JSON_TYPE)
  openapiV2(): string {
    return this.openapi.v2;
  }

  @Get('openapi/v3')
  @Header('Content-Type', JSON_TYPE)
  openapiV3(): string {
    return this.openapi.v3Root;
  }

  /** Answered whatever the ?hash= is: a redirect would become a 502 at the aggregator. */
  @Get('openapi/v3/apis/:group/:version')
  @Header('Content-Type', JSON_TYPE)
  openapiV3Group(@Param('group') group: string, @Param('version') version: string): string {
    this.requireGroup(group, version);
    return this.openapi.v3Group;
  }

  private requireGroup(group: string, version = VERSION): void {
    if (group !== this.options.apiGroup || version !== VERSION) throw new StatusError(notFound());
  }
}

function send(res: Response, type: string, doc: Document): void {
  res.status(200).setHeader('Content-Type', type).end(doc.body);
}

/** Discovery documents exist only as JSON; a client that accepts nothing JSON-compatible gets 406. */
function sendJson(res: Response, accept: string | undefined, doc: Document): void {
  const ranges = parseAccept(accept);
  if (ranges.length && !ranges.some(acceptsPlainJson))
    throw new StatusError(notAcceptable(['application/json']));
  send(res, JSON_TYPE, doc);
}
