import { StatusError, notFound } from '../apiserver/status.js';
import { VERSION } from '../apiserver/resource-catalog.js';

/** Routes take the group and version as parameters; anything but ours is a 404, as for an unknown path. */
export function requireServedGroupVersion(servedGroup: string, group: string, version: string): void {
  if (group !== servedGroup || version !== VERSION) throw new StatusError(notFound());
}
