// /apis/GROUP/v1/restartbatches: create (RBAC create on restartbatches, plus create on nodes/restart for the
// nodes it selects), delete (which stops it from starting more nodes), and a merge patch that may change nothing
// but the status (so kubectl finds the PATCH operation it looks for fieldValidation on); its reads are read routes
// (batch-reads.ts). Thin: decode, call the service, answer 201 as any create does.
import { All, Body, Controller, Delete, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createOptionsFromQuery, responseWarnings } from '../../apiserver/create-options.js';
import { duplicateFieldsOf } from '../../apiserver/duplicate-fields.js';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from '../../apiserver/json-body.js';
import { isMergePatch, MERGE_PATCH_MEDIA_TYPE } from '../../apiserver/merge-patch.js';
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
    return this.batches.create(body, user, options, responseWarnings(res), duplicateFieldsOf(req));
  }

  /** Only a merge patch: strategic merge patch is for built-in types, and JSON patch and apply we do not serve. */
  @Patch(':name')
  patch(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    if (!isMergePatch(req.headers['content-type']))
      throw new StatusError(unsupportedMediaType([MERGE_PATCH_MEDIA_TYPE]));
    const options = createOptionsFromQuery(req.query, 'PatchOptions');
    const user = requestContext(req).user ?? { name: '', groups: [] };
    return this.batches.patch(name, body, options, user, responseWarnings(res), duplicateFieldsOf(req));
  }

  @Delete(':name')
  delete(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Req() req: Request,
  ) {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    return this.batches.delete(name, requestContext(req).user ?? { name: '', groups: [] });
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
