// An informer over core Nodes: list and get are answered from memory, never with a round trip. Each Node is
// kept as its projection (node-projection.ts): the fields this server reads, not the kubelet's whole object. The
// initial state is streamed, as protobuf (protobuf-watch-list.ts, node-protobuf.ts) or else JSON (watch-list.ts),
// else listed in pages of --list-page-size.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { KubeConfig, V1Node } from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { byName, EventRing, revision } from '../apiserver/watch/event-ring.js';
import { KUBE_CONFIG } from './kube.tokens.js';
import { projectNode } from './node-projection.js';
import { decodeNode } from './node-protobuf.js';
import { WatchedList } from './watched-list.js';

/** Node changes kept for watches to resume from (kube-apiserver's watch cache keeps 100 to 100,000 per resource). */
const CHANGES_KEPT = 10_000;

@Injectable()
export class NodeCache implements OnModuleDestroy {
  private readonly nodes: WatchedList<V1Node>;
  private sorted?: V1Node[];
  private readonly listeners: ((node: V1Node) => void)[] = [];
  /** The recent changes, for watches of our `nodes` resource. */
  readonly changes: EventRing<V1Node>;

  constructor(@Inject(KUBE_CONFIG) kc: KubeConfig, options: ServerOptions) {
    this.changes = new EventRing<V1Node>(options.watchCacheSize || CHANGES_KEPT, byName);
    this.nodes = new WatchedList('nodes', kc, '/api/v1/nodes', {
      pageSize: options.listPageSize,
      transform: projectNode,
      streaming: true,
      protobuf: decodeNode,
    });
    // Listing starts as the cache is made, not at bootstrap: listing every Node is the longest wait of a start
    // (/readyz waits for it), and this way it overlaps making the rest of the application (the cloud SDKs).
    // Listeners may miss this first list: they are told of changes, and read the cache when they run.
    this.nodes.start(
      (node, type) => {
        this.keepSorted(node.metadata!.name!);
        this.changes.push(type, node, node.metadata?.resourceVersion);
        for (const listener of this.listeners) listener(node);
      },
      (rv) => this.changes.reset(revision(rv) ?? 0),
    );
  }

  get synced(): boolean {
    return this.nodes.synced;
  }

  async onModuleDestroy(): Promise<void> {
    await this.nodes.stop();
  }

  /** Called with every added, changed or deleted Node. */
  onChange(listener: (node: V1Node) => void): void {
    this.listeners.push(listener);
  }

  get(name: string): V1Node | undefined {
    return this.nodes.get(name);
  }

  /** All nodes, sorted by name (the order list pages are cut in). */
  list(): readonly V1Node[] {
    if (!this.sorted) {
      this.sorted = sortedByName(this.nodes.list());
    }
    return this.sorted;
  }

  /**
   * A changed Node takes its old place in the sorted list, so a kubelet's status update costs one lookup, not a
   * sort of every Node at the next read; an added or deleted one has the list sorted again when next read.
   */
  private keepSorted(name: string): void {
    if (!this.sorted) return;
    const current = this.nodes.get(name);
    const at = current && sortedIndex(this.sorted, name);
    if (at !== undefined && at >= 0) this.sorted[at] = current!;
    else this.sorted = undefined;
  }

  resourceVersion(): string {
    return this.nodes.resourceVersion();
  }
}

/** The index of the Node named `name` in nodes sorted by name, or -1. */
function sortedIndex(nodes: readonly V1Node[], name: string): number {
  for (let lo = 0, hi = nodes.length - 1; lo <= hi;) {
    const mid = (lo + hi) >>> 1;
    const at = nodes[mid]!.metadata!.name!;
    if (at === name) return mid;
    if (at < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Nodes in name order, the order list pages are cut in. */
export function sortedByName(nodes: readonly V1Node[]): V1Node[] {
  return [...nodes].sort((a, b) =>
    a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0,
  );
}
