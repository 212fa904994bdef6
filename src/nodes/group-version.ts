import { StatusError, notFound } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';
import { includeObjectOption, requireRendering } from '../apiserver/negotiation.js';
import type { ApiRequest } from '../apiserver/read-routes.js';

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
