// The Kubernetes side of a drain: cordon, evict through the Eviction API (so PodDisruptionBudgets are
// honoured and the refusal says which), and uncordon. The cordon is marked on the Node with the operation's
// id, so whichever replica finishes the restart knows whether this restart cordoned it and may lift it.
import { Inject, Injectable } from '@nestjs/common';
import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { CORE_API } from '../../kube/kube.tokens.js';
import { isHttpStatus } from '../operations/operation-store.js';
import { podName, podsToEvict, type DrainProgress } from './drain-pods.js';

export const CORDONED_BY_ANNOTATION = 'infraops.michael.io/cordoned-by';

export interface EvictOptions {
  gracePeriodSeconds?: number;
  /** Ask the Eviction API whether each eviction would be allowed, evicting nothing. */
  dryRun?: boolean;
}

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
  constructor(@Inject(CORE_API) private readonly core: CoreV1Api) {}

  /** Cordons the node for this operation: false when it was unschedulable already (that cordon is not ours). */
  async cordon(node: string, operation: string): Promise<boolean> {
    const current = await this.core.readNode({ name: node });
    if (current.metadata?.annotations?.[CORDONED_BY_ANNOTATION] === operation) return true;
    if (current.spec?.unschedulable) return false;
    await this.patch(current, true, operation);
    return true;
  }

  /** Lifts the cordon if this operation set it and nobody has lifted it since; true when it did. */
  async uncordon(node: string, operation: string): Promise<boolean> {
    let current: V1Node;
    try {
      current = await this.core.readNode({ name: node });
    } catch (err) {
      if (isHttpStatus(err, 404)) return false;
      throw err;
    }
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
    return this.core.patchNode(
      { name: node.metadata!.name!, body: { metadata, spec: { unschedulable } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /** Asks for the eviction of every pod the drain moves, and says which are left and which were refused. */
  async evict(node: string, options: EvictOptions): Promise<DrainProgress> {
    const list = await this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    const outcomes = await Promise.all(podsToEvict(list.items).map((pod) => this.evictOne(pod, options)));
    return {
      left: outcomes.flatMap((o) => (o.gone ? [] : [o.pod])),
      blocked: outcomes.flatMap((o) => (o.refused === undefined ? [] : [{ pod: o.pod, why: o.refused }])),
    };
  }

  private async evictOne(pod: V1Pod, options: EvictOptions) {
    const name = pod.metadata!.name!;
    const namespace = pod.metadata!.namespace!;
    const outcome = { pod: podName(pod), gone: false, refused: undefined as string | undefined };
    // Being deleted already: wait for it to be gone.
    if (pod.metadata?.deletionTimestamp && !options.dryRun) return outcome;
    const grace = options.gracePeriodSeconds;
    try {
      await this.core.createNamespacedPodEviction({
        name,
        namespace,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(grace === undefined ? {} : { deleteOptions: { gracePeriodSeconds: grace } }),
        },
        ...(options.dryRun ? { dryRun: 'All' } : {}),
      });
    } catch (err) {
      if (isHttpStatus(err, 404)) return { ...outcome, gone: true };
      return { ...outcome, refused: refusal(err) };
    }
    return outcome;
  }
}
