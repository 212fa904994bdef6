import { StatusError, notFound } from './status.js';
import { VERSION } from './resource-catalog.js';
import { includeObjectOption, requireRendering } from './negotiation.js';
import type { Type } from '@nestjs/common';
import { readRoute, type ApiRequest, type ReadRoute } from './read-routes.js';
import { objectReply, type TableColumn, type Viewed } from './table.js';

/** Routes take the group and version as parameters; anything but ours is a 404, as for an unknown path. */
export function requireServedGroupVersion(servedGroup: string, group: string, version: string): void {
  if (group !== servedGroup || version !== VERSION) throw new StatusError(notFound());
}

/** What every read of a resource checks first: the group and version, includeObject, and the Accept header. */
export function readRequest(servedGroup: string, { params, query, headers }: ApiRequest, list: boolean) {
  requireServedGroupVersion(servedGroup, params.group!, params.version!);
  return {
    include: includeObjectOption(query.includeObject),
    rendering: requireRendering(headers.accept, list),
  };
}

/** The GET of one object by name, in the rendering its Accept header asks for. */
export function objectRoute<S extends { group: string }, V extends Viewed>(
  path: string,
  service: Type<S>,
  columns: readonly TableColumn<V>[],
  find: (service: S, name: string) => V,
): ReadRoute {
  return readRoute({
    path,
    service,
    answer: (s: S, req) => {
      const { include, rendering } = readRequest(s.group, req, false);
      return objectReply(find(s, req.params.name!), columns, rendering, include);
    },
  });
}
