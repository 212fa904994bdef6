// POST /apis/GROUP/v1/nodes/NAME/reset (RBAC: create on nodes/reset): a hard power-cycle, which is a restart in
// mode Hard and goes through the same operation as nodes/restart (one per node, the budget, the phases, GET
// nodes/NAME/restart). Its body is RestartOptions; a mode other than Hard is a 422.
import { All, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as field from '../../apiserver/field-errors.js';
import { ServerOptions } from '../../config/server-options.js';
import { actionCall, answered, otherMethod } from '../../nodes/action-http.js';
import { throwIfInvalid } from '../../nodes/action-options.js';
import type { NodeRestart } from './node-restart.js';
import { parseRestartOptions, RESTART_OPTIONS_KIND } from './restart-options.js';
import { RESET_SUBRESOURCE } from './restart-protections.js';
import { RestartService } from './restart.service.js';

@Controller('apis/:group/:version/nodes/:name')
export class ResetController {
  constructor(
    private readonly restarts: RestartService,
    private readonly options: ServerOptions,
  ) {}

  @Post(RESET_SUBRESOURCE)
  @HttpCode(202)
  async reset(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<NodeRestart> {
    const { user, request } = actionCall(this.options.apiGroup, req, res);
    const options = parseRestartOptions(request);
    if (options.mode !== undefined && options.mode !== 'Hard') {
      const error = field.notSupported('mode', options.mode, ['Hard']);
      throwIfInvalid([error], request.group, RESTART_OPTIONS_KIND, request.nodeName);
    }
    const hard = { ...options, mode: 'Hard' as const };
    return answered(res, options.dryRun, this.restarts.restart(request.nodeName, hard, user));
  }

  @All(RESET_SUBRESOURCE)
  resetMethods(@Req() req: Request): never {
    otherMethod(this.options.apiGroup, req);
  }
}
