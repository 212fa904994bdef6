// A Node as this server answers it, kept as one allocation per Node: the view's JSON (a GET's body, a list's item, a
// Table row's object), whose metadata a row's PartialObjectMetadata is a slice of, then the Table row's cells but
// Age. The view object is not kept beside its bytes: an answer that needs it as a value (rare: JSON.stringify on
// Express's path, PartialObjectMetadata) parses it back, which gives the same text. Kept per projection (the
// informer replaces it on every change), so a list of thousands copies kept bytes and re-derives nothing.
import type { V1Node } from '@kubernetes/client-node';
import { createdAt, rowText } from './node-table.js';
import { nodeView, type NodeView } from './node-view.js';

export class EncodedNode {
  constructor(
    private readonly bytes: Buffer,
    private readonly viewEnd: number,
    private readonly metadataStart: number,
    private readonly metadataEnd: number,
    private readonly rowSplit: number,
    /** creationTimestamp in ms since the epoch (the Age cell), undefined without one. */
    readonly created: number | undefined,
  ) {}

  /** The view's JSON. */
  get json(): Buffer {
    return this.bytes.subarray(0, this.viewEnd);
  }

  /** The view's metadata as JSON, a slice of `json`. */
  get metadataJson(): Buffer {
    return this.bytes.subarray(this.metadataStart, this.metadataEnd);
  }

  /** The Table row's encoding before its Age cell: `{"cells":["a","b",`. */
  get rowStart(): Buffer {
    return this.bytes.subarray(this.viewEnd, this.rowSplit);
  }

  /** The Table row's encoding after its Age cell: `,"c","d"]`. */
  get rowEnd(): Buffer {
    return this.bytes.subarray(this.rowSplit);
  }

  /** The view as a value; JSON.stringify of it is `json`. */
  view(): NodeView {
    return JSON.parse(this.json.toString()) as NodeView;
  }

  get metadata(): NodeView['metadata'] {
    return JSON.parse(this.metadataJson.toString()) as NodeView['metadata'];
  }
}

/** The view's encoding. JSON.stringify writes its keys in the order nodeView builds them: metadata third. */
export function encodeView(view: NodeView): EncodedNode {
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
    bytes,
    viewEnd,
    metadataStart,
    metadataStart + Buffer.byteLength(JSON.stringify(view.metadata)),
    rowSplit,
    createdAt(view),
  );
}

const kept = new WeakMap<V1Node, EncodedNode>();

/** The Node's encoding, made once per projection the Node cache holds. */
export async function encodedNode(node: V1Node, group: string): Promise<EncodedNode> {
  let encoded = kept.get(node);
  if (!encoded) kept.set(node, (encoded = encodeView(await nodeView(node, group))));
  return encoded;
}

/**
 * The Nodes' encodings, one Node after another: those already made cost no promise, and the others are made one at
 * a time, so a first list of 20,000 Nodes does not hold 20,000 views and pending promises at once (a heap V8 then
 * keeps).
 */
export async function encodedNodes(nodes: readonly V1Node[], group: string): Promise<EncodedNode[]> {
  const encoded: EncodedNode[] = [];
  for (const node of nodes) encoded.push(kept.get(node) ?? (await encodedNode(node, group)));
  return encoded;
}
