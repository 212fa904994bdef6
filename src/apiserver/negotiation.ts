// How to render a read: as our objects, as a Table for kubectl, or as PartialObjectMetadata for the
// garbage collector's metadata client — chosen from the Accept header as k8s.io/apiserver does.
import { acceptsPlainJson, asksFor, parseAccept } from './accept.js';

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
