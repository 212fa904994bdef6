// /apis, /apis/GROUP, /apis/GROUP/v1 and the OpenAPI documents: thin, the answers are ApiDiscoveryService's.
import { Controller, Get, Header, Headers, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { writeReply } from '../apiserver/reply.js';
import { ApiDiscoveryService } from './api-discovery.service.js';

const JSON_TYPE = 'application/json';

@Controller()
export class ApiDiscoveryController {
  constructor(private readonly discovery: ApiDiscoveryService) {}

  @Get('apis')
  apis(
    @Headers('accept') accept: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): void {
    writeReply(res, this.discovery.apis(accept, ifNoneMatch));
  }

  @Get('apis/:group')
  group(@Param('group') group: string, @Headers('accept') accept: string | undefined, @Res() res: Response) {
    writeReply(res, this.discovery.group(group, accept));
  }

  @Get('apis/:group/:version')
  resources(
    @Param('group') group: string,
    @Param('version') version: string,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): void {
    writeReply(res, this.discovery.resources(group, version, accept));
  }

  @Get('openapi/v2')
  @Header('Content-Type', JSON_TYPE)
  openapiV2(): string {
    return this.discovery.openapi.v2;
  }

  @Get('openapi/v3')
  @Header('Content-Type', JSON_TYPE)
  openapiV3(): string {
    return this.discovery.openapi.v3Root;
  }

  /** Answered whatever the ?hash= is: a redirect would become a 502 at the aggregator. */
  @Get('openapi/v3/apis/:group/:version')
  @Header('Content-Type', JSON_TYPE)
  openapiV3Group(@Param('group') group: string, @Param('version') version: string): string {
    this.discovery.requireGroup(group, version);
    return this.discovery.openapi.v3Group;
  }
}
