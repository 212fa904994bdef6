// /apis/GROUP/v1/restartbatches: create (RBAC create on restartbatches, plus create on nodes/restart for the
// nodes it selects), get and list. Thin: decode, call the service, answer 201 as any create does.
import { All, Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createOptionsFromQuery, responseWarnings } from '../../apiserver/create-options.js';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from '../../apiserver/json-body.js';
import { requestContext } from '../../apiserver/request-context.js';
import { StatusError, methodNotAllowed, unsupportedMediaType } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { requireServedGroupVersion } from '../../nodes/group-version.js';
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
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    if (hasUndecodedBody(req)) throw new StatusError(unsupportedMediaType(JSON_MEDIA_TYPES));
    const options = createOptionsFromQuery(req.query);
    const user = requestContext(req).user ?? { name: '', groups: [] };
    return this.batches.create(body, user, options, responseWarnings(res));
  }

  @Get()
  list(@Param('group') group: string, @Param('version') version: string) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    return this.batches.list();
  }

  @Get(':name')
  get(@Param('group') group: string, @Param('version') version: string, @Param('name') name: string) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    return this.batches.get(name);
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
