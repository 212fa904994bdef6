// Our `nodes` resource is read-only: its reads are in the read table (node-reads.ts), and every other method on
// its paths gets 405 as from k8s.io/apiserver.
import { All, Controller, Param } from '@nestjs/common';
import { StatusError, methodNotAllowed } from '../apiserver/status.js';
import { ServerOptions } from '../config/server-options.js';
import { requireServedGroupVersion } from '../apiserver/group-version.js';

@Controller('apis/:group/:version/nodes')
export class NodesController {
  constructor(private readonly options: ServerOptions) {}

  @All()
  collectionMethods(@Param('group') group: string, @Param('version') version: string): never {
    this.requireGroupVersion(group, version);
    throw new StatusError(methodNotAllowed());
  }

  @All(':name')
  itemMethods(@Param('group') group: string, @Param('version') version: string): never {
    this.requireGroupVersion(group, version);
    throw new StatusError(methodNotAllowed());
  }

  private requireGroupVersion(group: string, version: string): void {
    requireServedGroupVersion(this.options.apiGroup, group, version);
  }
}
