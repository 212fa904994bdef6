// A Node as this server answers it, kept as one allocation per Node: the view's JSON (a GET's body, a list's item, a
// Table row's object), whose metadata a row's PartialObjectMetadata is a range of, then the Table row's cells but
// Age. The view object is not kept beside its bytes: an answer that needs it as a value (rare: JSON.stringify on
// Express's path) parses it back, which gives the same text. Answers copy ranges of the bytes into their pieces
// (pieces.ts) without an object per range.
import type { V1Node } from '@kubernetes/client-node';
import type { Pieces } from '../apiserver/pieces.js';
import { createdAt, rowText } from './node-table.js';
import type { NodeView } from './node-view.js';

/** Heap a kept encoding costs besides its bytes (its objects, the Buffer's backing store record, the map entry). */
const OVERHEAD_BYTES = 256;

export class EncodedNode {
  constructor(
    /** The projection this encodes (encodings are kept only while it is the Node cache's current one). */
    readonly source: V1Node | undefined,
    private readonly bytes: Buffer,
    private readonly viewEnd: number,
    private readonly metadataStart: number,
    private readonly metadataEnd: number,
    private readonly rowSplit: number,
    /** creationTimestamp in ms since the epoch (the Age cell), undefined without one. */
    readonly created: number | undefined,
  ) {}

  /** What keeping it costs. */
  get size(): number {
    return this.bytes.length + OVERHEAD_BYTES;
  }

  /** The view's JSON. */
  get json(): Buffer {
    return this.bytes.subarray(0, this.viewEnd);
  }

  putJson(into: Pieces): void {
    into.put(this.bytes, 0, this.viewEnd);
  }

  /** The view's metadata as JSON. */
  putMetadata(into: Pieces): void {
    into.put(this.bytes, this.metadataStart, this.metadataEnd);
  }

  /** The Table row's encoding before its Age cell: `{"cells":["a","b",`. */
  putRowStart(into: Pieces): void {
    into.put(this.bytes, this.viewEnd, this.rowSplit);
  }

  /** The Table row's encoding after its Age cell: `,"c","d"]`. */
  putRowEnd(into: Pieces): void {
    into.put(this.bytes, this.rowSplit);
  }

  /** The view as a value; JSON.stringify of it is `json`. */
  view(): NodeView {
    return JSON.parse(this.json.toString()) as NodeView;
  }

  get metadata(): NodeView['metadata'] {
    return JSON.parse(
      this.bytes.toString('utf8', this.metadataStart, this.metadataEnd),
    ) as NodeView['metadata'];
  }
}

/** The view's encoding. JSON.stringify writes its keys in the order nodeView builds them: metadata third. */
export function encodeView(view: NodeView, source?: V1Node): EncodedNode {
  const json = JSON.stringify(view);
  const [before, after] = rowText(view);
  const viewEnd = Buffer.byteLength(json);
  const rowSplit = viewEnd + Buffer.byteLength(before);
  // Memory of its own, as keptBytes gives (encoded-json.ts); the three texts written in place, not joined first.
  const bytes = Buffer.allocUnsafeSlow(rowSplit + Buffer.byteLength(after));
  bytes.write(json, 0);
  bytes.write(before, viewEnd);
  bytes.write(after, rowSplit);
  const metadataStart = Buffer.byteLength(
    `${JSON.stringify({ apiVersion: view.apiVersion, kind: view.kind }).slice(0, -1)},"metadata":`,
  );
  return new EncodedNode(
    source,
    bytes,
    viewEnd,
    metadataStart,
    metadataStart + Buffer.byteLength(JSON.stringify(view.metadata)),
    rowSplit,
    createdAt(view),
  );
}
