// GET /apis/GROUP/v1/nodes and /apis/GROUP/v1/nodes/NAME: thin — parse, ask the service, render.
import { All, Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { StatusError, methodNotAllowed, notAcceptable, badRequest } from '../apiserver/status.js';
import { ServerOptions } from '../config/server-options.js';
import { requireServedGroupVersion } from './group-version.js';
import { NodesService, type ListQuery } from './nodes.service.js';
import { negotiateRendering, type Rendering } from '../apiserver/negotiation.js';
import { encodedNodeTable, partialObjectMetadata, type IncludeObject } from './node-table.js';
import { encodedView } from './node-view.js';
import { EncodedJson } from '../apiserver/encoded-json.js';

const INCLUDE_OBJECT = ['None', 'Metadata', 'Object'];
const RENDERINGS = [
  'application/json',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
];

@Controller('apis/:group/:version/nodes')
export class NodesController {
  constructor(
    private readonly nodes: NodesService,
    private readonly options: ServerOptions,
  ) {}

  @Get()
  async list(
    @Param('group') group: string,
    @Param('version') version: string,
    @Headers('accept') accept: string | undefined,
    @Query() query: ListQuery & { includeObject?: string; watch?: string },
  ) {
    const rendering = this.prepare(group, version, accept, true, query.includeObject);
    if (query.watch !== undefined && query.watch !== 'false' && query.watch !== '0')
      throw new StatusError(methodNotAllowed());
    const page = await this.nodes.list(query);
    if (rendering.as === 'table')
      return encodedNodeTable(
        page.items,
        page.metadata,
        includeObject(query.includeObject),
        rendering.version,
      );
    if (rendering.as === 'metadata')
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${rendering.version}`,
        metadata: page.metadata,
        items: page.items.map(partialObjectMetadata),
      };
    return this.nodes.listObject(page);
  }

  @Get(':name')
  async get(
    @Param('group') group: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Headers('accept') accept: string | undefined,
    @Query('includeObject') include: string | undefined,
  ) {
    const rendering = this.prepare(group, version, accept, false, include);
    const view = await this.nodes.get(name);
    if (rendering.as === 'table')
      return encodedNodeTable(
        [view],
        { resourceVersion: view.metadata.resourceVersion },
        includeObject(include),
        rendering.version,
      );
    if (rendering.as === 'metadata')
      return { ...partialObjectMetadata(view), apiVersion: `meta.k8s.io/${rendering.version}` };
    return new EncodedJson([encodedView(view)], () => view);
  }

  /** The resource is read-only here; other methods get 405 as from k8s.io/apiserver. */
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

  private prepare(
    group: string,
    version: string,
    accept: string | undefined,
    list: boolean,
    include?: string,
  ): Rendering {
    this.requireGroupVersion(group, version);
    if (include !== undefined && !INCLUDE_OBJECT.includes(include))
      throw new StatusError(badRequest(`unrecognized includeObject value: "${include}"`));
    const rendering = negotiateRendering(accept, list);
    if (!rendering) throw new StatusError(notAcceptable(RENDERINGS));
    return rendering;
  }
}

function includeObject(value: string | undefined): IncludeObject {
  return (value as IncludeObject | undefined) ?? 'Metadata';
}
