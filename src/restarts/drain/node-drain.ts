// The Kubernetes side of a drain: cordon, evict through the Eviction API (so PodDisruptionBudgets are
// honoured and the refusal says which), and uncordon. The cordon is marked on the Node with the operation's
// id, so whichever replica finishes the restart knows whether this restart cordoned it and may lift it.
import { Injectable } from '@nestjs/common';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { isHttpStatus } from '../cluster/leases.js';
import { NodeGateway } from '../cluster/node-gateway.js';
import { PodGateway, type EvictionOptions } from '../cluster/pod-gateway.js';
import { podName, podsToEvict, type DrainProgress } from './drain-pods.js';

export const CORDONED_BY_ANNOTATION = 'infraops.michael.io/cordoned-by';

/** What the Eviction API said when it refused, e.g. "… disruption budget: The disruption budget web needs 2 …". */
function refusal(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as {
      message?: string;
      details?: { causes?: { message?: string }[] };
    };
    const causes = (status.details?.causes ?? []).flatMap((c) => (c.message ? [c.message] : []));
    const message = (status.message ?? '').replace(/\.$/, '');
    return [message, ...causes].filter(Boolean).join(': ') || String(err);
  } catch {
    return (err as Error).message;
  }
}

@Injectable()
export class NodeDrain {
  constructor(
    private readonly nodes: NodeGateway,
    private readonly pods: PodGateway,
  ) {}

  /** Cordons the node for this operation: false when it was unschedulable already (that cordon is not ours). */
  async cordon(node: string, operation: string): Promise<boolean> {
    const current = await this.nodes.read(node);
    if (!current) throw new Error(`node ${node} is gone`);
    if (current.metadata?.annotations?.[CORDONED_BY_ANNOTATION] === operation) return true;
    if (current.spec?.unschedulable) return false;
    await this.patch(current, true, operation);
    return true;
  }

  /** Lifts the cordon if this operation set it and nobody has lifted it since; true when it did. */
  async uncordon(node: string, operation: string): Promise<boolean> {
    const current = await this.nodes.read(node);
    if (!current) return false;
    if (current.metadata?.annotations?.[CORDONED_BY_ANNOTATION] !== operation) return false;
    await this.patch(current, null, null);
    return true;
  }

  /** The resourceVersion makes the patch fail rather than undo a change made since the read. */
  private patch(node: V1Node, unschedulable: true | null, cordonedBy: string | null): Promise<V1Node> {
    const metadata = {
      resourceVersion: node.metadata!.resourceVersion,
      annotations: { [CORDONED_BY_ANNOTATION]: cordonedBy },
    };
    return this.nodes.mergePatch(node.metadata!.name!, { metadata, spec: { unschedulable } });
  }

  /** Asks for the eviction of every pod the drain moves, and says which are left and which were refused. */
  async evict(node: string, options: EvictionOptions): Promise<DrainProgress> {
    const pods = await this.pods.list({ node });
    const outcomes = await Promise.all(podsToEvict(pods).map((pod) => this.evictOne(pod, options)));
    return {
      left: outcomes.flatMap((o) => (o.gone ? [] : [o.pod])),
      blocked: outcomes.flatMap((o) => (o.refused === undefined ? [] : [{ pod: o.pod, why: o.refused }])),
    };
  }

  private async evictOne(pod: V1Pod, options: EvictionOptions) {
    const name = pod.metadata!.name!;
    const namespace = pod.metadata!.namespace!;
    const outcome = { pod: podName(pod), gone: false, refused: undefined as string | undefined };
    // Being deleted already: wait for it to be gone.
    if (pod.metadata?.deletionTimestamp && !options.dryRun) return outcome;
    try {
      await this.pods.evict({ name, namespace }, options);
    } catch (err) {
      if (isHttpStatus(err, 404)) return { ...outcome, gone: true };
      return { ...outcome, refused: refusal(err) };
    }
    return outcome;
  }
}
