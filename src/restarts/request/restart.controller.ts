// POST /apis/GROUP/v1/nodes/NAME/restart (RBAC: create on nodes/restart). Thin: decode the options,
// ask the service, answer 202 — or 200 for a dry run, which changed nothing. GET is a read route (restart-reads.ts);
// DELETE (RBAC: delete on nodes/restart) cancels the running one while the cloud has not been asked.
import { All, Controller, Delete, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServerOptions } from '../../config/server-options.js';
import { requestContext } from '../../apiserver/request-context.js';
import { actionCall, answered, otherMethod } from '../../nodes/action-http.js';
import { requireServedGroupVersion } from '../../apiserver/group-version.js';
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
  restart(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<NodeRestart> {
    const { user, request } = actionCall(this.options.apiGroup, req, res);
    const options = parseRestartOptions(request);
    return answered(res, options.dryRun, this.restarts.restart(request.nodeName, options, user));
  }

  @Delete('restart')
  cancel(
    @Param() path: Record<'group' | 'version' | 'name', string>,
    @Req() req: Request,
  ): Promise<NodeRestart> {
    requireServedGroupVersion(this.options.apiGroup, path.group, path.version);
    return this.restarts.cancel(path.name, requestContext(req).user ?? { name: '', groups: [] });
  }

  @All('restart')
  restartMethods(@Req() req: Request): never {
    otherMethod(this.options.apiGroup, req);
  }
}
