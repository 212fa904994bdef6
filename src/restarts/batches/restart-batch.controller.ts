// /apis/GROUP/v1/restartbatches: create (RBAC create on restartbatches, plus create on nodes/restart for the
// nodes it selects); its reads are read routes (batch-reads.ts). Thin: decode, call the service, answer 201.
import { All, Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from '../../apiserver/json-body.js';
import { requestContext } from '../../apiserver/request-context.js';
import { StatusError, methodNotAllowed, unsupportedMediaType } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { requireServedGroupVersion } from '../../nodes/group-version.js';
import { dryRunFromQuery } from '../../nodes/action-options.js';
import { RestartBatchService } from './restart-batch.service.js';

@Controller('apis/:group/:version/restartbatches')
export class RestartBatchController {
  constructor(
    private readonly batches: RestartBatchService,
    private readonly options: ServerOptions,
  ) {}

  @Post()
  @HttpCode(201)
  create(
    @Param('group') group: string,
    @Param('version') version: string,
    @Query('dryRun') dryRun: unknown,
    @Body() body: unknown,
    @Req() req: Request,
  ) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    if (hasUndecodedBody(req)) throw new StatusError(unsupportedMediaType(JSON_MEDIA_TYPES));
    const user = requestContext(req).user ?? { name: '', groups: [] };
    return this.batches.create(body, user, dryRunFromQuery(dryRun));
  }

  @All()
  collectionMethods(@Param('group') group: string, @Param('version') version: string): never {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    throw new StatusError(methodNotAllowed());
  }

  @All(':name')
  itemMethods(@Param('group') group: string, @Param('version') version: string): never {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    throw new StatusError(methodNotAllowed());
  }
}
