// Discovery (/apis…, served from the read table: discovery-routes.ts) and OpenAPI, generated from the resource
// catalog. Named apart from @nestjs/core's DiscoveryModule, which finds providers by metadata.
import { Module } from '@nestjs/common';
import { ApiDiscoveryController } from './api-discovery.controller.js';
import { ApiDiscoveryService } from './api-discovery.service.js';

@Module({
  controllers: [ApiDiscoveryController],
  providers: [ApiDiscoveryService],
  exports: [ApiDiscoveryService],
})
export class ApiDiscoveryModule {}
