// The OpenAPI documents: thin, the answers are ApiDiscoveryService's. Discovery itself is in the read table
// (discovery-routes.ts).
import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiDiscoveryService } from './api-discovery.service.js';

const JSON_TYPE = 'application/json';

@Controller()
export class ApiDiscoveryController {
  constructor(private readonly discovery: ApiDiscoveryService) {}

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
