// /apis/GROUP/v1/restartbatches: create (RBAC create on restartbatches, plus create on nodes/restart for the
// nodes it selects), delete (which stops it from starting more nodes), and a merge patch that may change nothing
// but the status (so kubectl finds the PATCH operation it looks for fieldValidation on); its reads are read routes
// (batch-reads.ts). Thin: the writes every stored resource answers (object.controller.ts), on the service.
import { Controller } from '@nestjs/common';
import { ObjectController } from '../../apiserver/object.controller.js';
import { ServerOptions } from '../../config/server-options.js';
import { RestartBatchService } from './restart-batch.service.js';

@Controller('apis/:group/:version/restartbatches')
export class RestartBatchController extends ObjectController {
  protected readonly servedGroup: string;

  constructor(
    protected readonly writes: RestartBatchService,
    options: ServerOptions,
  ) {
    super();
    this.servedGroup = options.apiGroup;
  }
}
