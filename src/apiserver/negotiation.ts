// How to render a read: as our objects, as a Table for kubectl, or as PartialObjectMetadata for the
// garbage collector's metadata client — chosen from the Accept header as k8s.io/apiserver does.
import { acceptsPlainJson, asksFor, parseAccept } from './accept.js';
import { StatusError, badRequest, notAcceptable } from './status.js';

export type Rendering =
  { as: 'object' } | { as: 'table'; version: string } | { as: 'metadata'; version: string };

const META = 'meta.k8s.io';
const META_VERSIONS = ['v1', 'v1beta1'];

export function negotiateRendering(accept: string | undefined, list: boolean): Rendering | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { as: 'object' };
  const metadataKind = list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
  for (const r of ranges) {
    const table = asksFor(r, 'Table', META, META_VERSIONS);
    if (table) return { as: 'table', version: table };
    const metadata = asksFor(r, metadataKind, META, META_VERSIONS);
    if (metadata) return { as: 'metadata', version: metadata };
    if (acceptsPlainJson(r)) return { as: 'object' };
  }
  return undefined;
}

/** What a 406 names: the renderings a read offers. */
const RENDERINGS = [
  'application/json',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
];

/** The rendering of a read, or 406 Not Acceptable. */
export function requireRendering(accept: string | undefined, list: boolean): Rendering {
  const rendering = negotiateRendering(accept, list);
  if (!rendering) throw new StatusError(notAcceptable(RENDERINGS));
  return rendering;
}

/** What each row of a Table carries (metav1.TableOptions' includeObject): the object's metadata by default. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

const INCLUDE_OBJECT: readonly string[] = ['None', 'Metadata', 'Object'];

export function includeObjectOption(value: string | undefined): IncludeObject {
  if (value !== undefined && !INCLUDE_OBJECT.includes(value))
    throw new StatusError(badRequest(`unrecognized includeObject value: "${value}"`));
  return (value as IncludeObject | undefined) ?? 'Metadata';
}
