// How many of a batch's nodes are unavailable now, from the nodes themselves and not only from the batch's own
// bookkeeping: a node whose restart failed stays unavailable until it is Ready again, and a node that was NotReady
// before the batch began counts too — as Cluster API's MachineHealthCheck counts every unhealthy Machine against
// maxUnhealthy (https://cluster-api.sigs.k8s.io/tasks/automated-machine-management/healthchecking).
import type { V1Node } from '@kubernetes/client-node';
import type { BatchNode, RestartBatchRecord } from './restart-batch.js';

const isNotReady = (node: V1Node) =>
  !node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

export class BatchAvailability {
  private readonly down: Set<string>;

  /** `node` reads a Node from the cache; a Node that no longer exists is not counted. */
  constructor(batch: RestartBatchRecord, node: (name: string) => V1Node | undefined) {
    this.down = new Set(
      batch.nodes.filter((n) => n.phase === 'Restarting' || this.notReady(node(n.name))).map((n) => n.name),
    );
  }

  get unavailable(): number {
    return this.down.size;
  }

  /**
   * The Pending node to start next, if starting it keeps the batch within maxUnavailable. A node already down
   * comes first: restarting it takes nothing more away, and is how it may come back.
   */
  next(batch: RestartBatchRecord): BatchNode | undefined {
    const pending = batch.nodes.filter((n) => n.phase === 'Pending');
    const next = pending.find((n) => this.down.has(n.name)) ?? pending[0];
    if (!next) return undefined;
    const after = this.down.size + (this.down.has(next.name) ? 0 : 1);
    return after <= batch.maxUnavailable ? next : undefined;
  }

  /** The node was claimed: it counts as unavailable from now on. */
  claimed(name: string): void {
    this.down.add(name);
  }

  private notReady(node: V1Node | undefined): boolean {
    return node !== undefined && isNotReady(node);
  }
}
