// POST /apis/GROUP/v1/nodes/NAME/stop and .../start (RBAC: create on nodes/stop, nodes/start). Thin: decode the
// options, ask the service, answer 202 — or 200 for a dry run.
import { All, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServerOptions } from '../../config/server-options.js';
import { actionCall, answered, otherMethod } from '../action-http.js';
import type { NodePowerAction } from './node-power-action.js';
import { parsePowerOptions, type PowerAction } from './power-options.js';
import { PowerService } from './power.service.js';

@Controller('apis/:group/:version/nodes/:name')
export class PowerController {
  constructor(
    private readonly power: PowerService,
    private readonly options: ServerOptions,
  ) {}

  @Post('stop')
  @HttpCode(202)
  stop(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<NodePowerAction> {
    return this.act('Stop', req, res);
  }

  @Post('start')
  @HttpCode(202)
  start(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<NodePowerAction> {
    return this.act('Start', req, res);
  }

  @All(['stop', 'start'])
  powerMethods(@Req() req: Request): never {
    otherMethod(this.options.apiGroup, req);
  }

  private async act(action: PowerAction, req: Request, res: Response): Promise<NodePowerAction> {
    const { user, request } = actionCall(this.options.apiGroup, req, res);
    const options = parsePowerOptions(action, request);
    return answered(res, options.dryRun, this.power.act(request.nodeName, options, user));
  }
}
