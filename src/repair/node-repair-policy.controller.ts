// /apis/GROUP/v1/noderepairpolicies: create, merge patch and delete as every stored resource (object.controller.ts),
// and replace (PUT); the reads are read routes (policy-reads.ts). Thin: decode, call the service.
import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createOptionsFromQuery, responseWarnings } from '../apiserver/create-options.js';
import { duplicateFieldsOf } from '../apiserver/duplicate-fields.js';
import { ObjectController, userOf } from '../apiserver/object.controller.js';
import { ServerOptions } from '../config/server-options.js';
import { NodeRepairPolicyService } from './node-repair-policy.service.js';

@Controller('apis/:group/:version/noderepairpolicies')
export class NodeRepairPolicyController extends ObjectController {
  protected readonly servedGroup: string;

  constructor(
    protected readonly writes: NodeRepairPolicyService,
    options: ServerOptions,
  ) {
    super();
    this.servedGroup = options.apiGroup;
  }

  @Put(':name')
  update(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.requireJsonBody(group, version, req);
    const options = createOptionsFromQuery(req.query, 'UpdateOptions');
    return this.writes.update(
      name,
      body,
      userOf(req),
      options,
      responseWarnings(res),
      duplicateFieldsOf(req),
    );
  }
}
