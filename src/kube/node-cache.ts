// An informer over core Nodes: list and get are answered from memory, never with a round trip.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { KubeConfig, V1Node } from '@kubernetes/client-node';
import { EventRing, revision } from '../apiserver/watch/event-ring.js';
import { KUBE_CONFIG } from './kube.tokens.js';
import { WatchedList } from './watched-list.js';

/** Node changes kept for watches to resume from (kube-apiserver's watch cache keeps 100 to 100,000 per resource). */
const CHANGES_KEPT = 10_000;

@Injectable()
export class NodeCache implements OnModuleDestroy {
  private readonly nodes: WatchedList<V1Node>;
  private sorted?: V1Node[];
  private readonly listeners: ((node: V1Node) => void)[] = [];
  /** The recent changes, for watches of our `nodes` resource. */
  readonly changes = new EventRing<V1Node>(CHANGES_KEPT);

  constructor(@Inject(KUBE_CONFIG) kc: KubeConfig) {
    this.nodes = new WatchedList('nodes', kc, '/api/v1/nodes');
    // Listing starts as the cache is made, not at bootstrap: listing every Node is the longest wait of a start
    // (/readyz waits for it), and this way it overlaps making the rest of the application (the cloud SDKs).
    // Listeners may miss this first list: they are told of changes, and read the cache when they run.
    this.nodes.start(
      (node, type) => {
        this.sorted = undefined;
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
      this.sorted = [...this.nodes.list()].sort((a, b) =>
        a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0,
      );
    }
    return this.sorted;
  }

  resourceVersion(): string {
    return this.nodes.resourceVersion();
  }
}
