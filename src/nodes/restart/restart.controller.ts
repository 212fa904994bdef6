// POST /apis/GROUP/v1/nodes/NAME/restart (RBAC: create on nodes/restart). Thin: decode the options,
// ask the service, answer 202 — or 200 for a dry run, which changed nothing.
import { All, Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { hasUndecodedBody, JSON_MEDIA_TYPES } from '../../apiserver/json-body.js';
import { requestContext } from '../../apiserver/request-context.js';
import { StatusError, methodNotAllowed, notFound, unsupportedMediaType } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { requireServedGroupVersion } from '../group-version.js';
import type { NodeRestart } from './node-restart.js';
import { parseRestartOptions } from './restart-options.js';
import { RestartService } from './restart.service.js';

@Controller('apis/:group/:version/nodes/:name')
export class RestartController {
  constructor(
    private readonly restarts: RestartService,
    private readonly options: ServerOptions,
  ) {}

  @Post('restart')
  @HttpCode(202)
  async restart(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Query('dryRun') dryRun: unknown,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NodeRestart> {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    if (hasUndecodedBody(req)) throw new StatusError(unsupportedMediaType(JSON_MEDIA_TYPES));
    const options = parseRestartOptions({ group, nodeName: name, body, dryRunQuery: dryRun });
    const user = requestContext(req).user ?? { name: '', groups: [] };
    const answer = await this.restarts.restart(name, options, user);
    if (options.dryRun) res.status(200);
    return answer;
  }

  @Get('restart')
  status(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
  ): NodeRestart {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    return this.restarts.status(name);
  }

  @All('restart')
  restartMethods(@Param('group') group: string, @Param('version') version: string): never {
    requireServedGroupVersion(this.options.apiGroup, group, version);
    throw new StatusError(methodNotAllowed());
  }

  /** Subresources we do not serve. */
  @All(':subresource')
  unknownSubresource(): never {
    throw new StatusError(notFound());
  }
}
