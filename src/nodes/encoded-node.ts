// A Node as this server answers it: the view's JSON (a GET's body, a list's item, a Table row's object), whose
// metadata a row's PartialObjectMetadata is a range of, then the Table row's cells but Age. Kept as one allocation
// of its own per Node (`kept()`); made for one read only, past the budget of node-encodings.ts, as text on the
// JavaScript heap, which the young generation's collections take back at once (an allocation outside the heap per
// Node and read left glibc's malloc holding tens of MiB). The view object is not kept beside its encoding: an
// answer that needs it as a value parses it back, which gives the same text. Answers copy ranges of it into their
// pieces (pieces.ts) without an object per range.
import type { V1Node } from '@kubernetes/client-node';
import type { Pieces } from '../apiserver/pieces.js';
import { createdAt, rowText } from './node-table.js';
import type { NodeView } from './node-view.js';

/** Heap a kept encoding costs besides its bytes (its objects, the Buffer's backing store record, the map entry). */
const OVERHEAD_BYTES = 256;

/** Where the parts are, in bytes of a Buffer or in characters of a string. */
interface Offsets {
  viewEnd: number;
  metadataStart: number;
  metadataEnd: number;
  rowSplit: number;
}

export class EncodedNode {
  constructor(
    /** The projection this encodes (encodings are kept only while it is the Node cache's current one). */
    readonly source: V1Node | undefined,
    private readonly data: Buffer | string,
    private readonly at: Offsets,
    /** creationTimestamp in ms since the epoch (the Age cell), undefined without one. */
    readonly created: number | undefined,
  ) {}

  /** What keeping it costs. */
  get size(): number {
    return Buffer.byteLength(this.data) + OVERHEAD_BYTES;
  }

  /** This encoding as one allocation of its own, to be kept. */
  kept(): EncodedNode {
    if (typeof this.data !== 'string') return this;
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(this.data));
    bytes.write(this.data);
    const byteAt = (chars: number) => Buffer.byteLength(this.data.slice(0, chars));
    const { viewEnd, metadataStart, metadataEnd, rowSplit } = this.at;
    const offsets = {
      viewEnd: byteAt(viewEnd),
      metadataStart: byteAt(metadataStart),
      metadataEnd: byteAt(metadataEnd),
      rowSplit: byteAt(rowSplit),
    };
    return new EncodedNode(this.source, bytes, offsets, this.created);
  }

  private put(into: Pieces, start: number, end: number): void {
    if (typeof this.data === 'string') into.putText(this.data.slice(start, end));
    else into.put(this.data, start, end);
  }

  private text(start: number, end: number): string {
    return typeof this.data === 'string'
      ? this.data.slice(start, end)
      : this.data.toString('utf8', start, end);
  }

  /** The view's JSON. */
  get json(): Buffer {
    return typeof this.data === 'string'
      ? Buffer.from(this.data.slice(0, this.at.viewEnd))
      : this.data.subarray(0, this.at.viewEnd);
  }

  putJson(into: Pieces): void {
    this.put(into, 0, this.at.viewEnd);
  }

  /** The view's metadata as JSON. */
  putMetadata(into: Pieces): void {
    this.put(into, this.at.metadataStart, this.at.metadataEnd);
  }

  /** The Table row's encoding before its Age cell: `{"cells":["a","b",`. */
  putRowStart(into: Pieces): void {
    this.put(into, this.at.viewEnd, this.at.rowSplit);
  }

  /** The Table row's encoding after its Age cell: `,"c","d"]`. */
  putRowEnd(into: Pieces): void {
    this.put(into, this.at.rowSplit, this.data.length);
  }

  /** The view as a value; JSON.stringify of it is `json`. */
  view(): NodeView {
    return JSON.parse(this.text(0, this.at.viewEnd)) as NodeView;
  }

  get metadata(): NodeView['metadata'] {
    return JSON.parse(this.text(this.at.metadataStart, this.at.metadataEnd)) as NodeView['metadata'];
  }
}

/**
 * The view's encoding, as text (`kept()` makes the bytes to keep). JSON.stringify writes its keys in the order
 * nodeView builds them: metadata third.
 */
export function encodeView(view: NodeView, source?: V1Node): EncodedNode {
  const json = JSON.stringify(view);
  const [before, after] = rowText(view);
  const metadataStart =
    `${JSON.stringify({ apiVersion: view.apiVersion, kind: view.kind }).slice(0, -1)},"metadata":`.length;
  const offsets = {
    viewEnd: json.length,
    metadataStart,
    metadataEnd: metadataStart + JSON.stringify(view.metadata).length,
    rowSplit: json.length + before.length,
  };
  return new EncodedNode(source, json + before + after, offsets, createdAt(view));
}
