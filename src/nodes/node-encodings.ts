// The Nodes' encodings kept between reads, up to a byte budget (--node-encoding-cache-mib). Within it, a list of
// thousands copies kept bytes and re-derives nothing; past it (clusters of ~10,000 Nodes and more), the rest are
// encoded as each read reaches them and dropped once written, so what the server holds per Node stays its
// projection (~1.1 KB) however many Nodes there are, and a read costs CPU instead of memory. Kept first come, first
// kept: a whole-list read scans every Node, and evicting the oldest would make each scan evict all of them.
import type { V1Node } from '@kubernetes/client-node';
import { encodeView, type EncodedNode } from './encoded-node.js';
import { nodeView } from './node-view.js';

export class NodeEncodings {
  private readonly kept = new Map<string, EncodedNode>();
  private keptBytes = 0;

  constructor(
    private readonly group: string,
    private readonly budgetBytes: number,
    /** Whether the projection is the one the Node cache holds now (older ones, a watch's past events, are not kept). */
    private readonly isCurrent: (node: V1Node) => boolean,
  ) {}

  /** The encoding of this projection, kept or made now. */
  encoding(node: V1Node): EncodedNode | Promise<EncodedNode> {
    const kept = this.kept.get(node.metadata!.name!);
    return kept?.source === node ? kept : this.make(node);
  }

  /** Drops what is kept for the Node: it changed or went (NodeCache.onChange). */
  forget(name: string): void {
    const kept = this.kept.get(name);
    if (!kept) return;
    this.keptBytes -= kept.size;
    this.kept.delete(name);
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.keptBytes;
  }

  private async make(node: V1Node): Promise<EncodedNode> {
    const encoded = encodeView(await nodeView(node, this.group), node);
    const name = node.metadata!.name!;
    if (!this.isCurrent(node)) return encoded;
    this.forget(name);
    const size = encoded.size;
    if (this.keptBytes + size > this.budgetBytes) return encoded;
    const kept = encoded.kept();
    this.kept.set(name, kept);
    this.keptBytes += size;
    return kept;
  }
}
