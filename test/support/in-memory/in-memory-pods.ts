// Pods kept in memory, listed by namespace, label selector, node and name as kube-apiserver selects them, and an
// Eviction API that answers as policy/v1 does: 404 for a pod that is gone, 429 naming the PodDisruptionBudget that
// holds a pod, and for a dry run the answer without the eviction. An eviction that is allowed deletes the pod.
import type { V1Pod } from '@kubernetes/client-node';
import { matchesLabels, parseLabelSelector } from '../../../src/apiserver/selectors/label-selector.js';
import {
  PodGateway,
  type EvictionOptions,
  type PodQuery,
} from '../../../src/restarts/cluster/pod-gateway.js';
import { apiError, copy, notFound } from './api-errors.js';

export interface InMemoryPodSpec {
  namespace?: string;
  name: string;
  node: string;
  labels?: Record<string, string>;
  /** The controller that owns it, e.g. DaemonSet. */
  ownerKind?: string;
  /** A static pod's mirror (kubernetes.io/config.mirror). */
  mirror?: boolean;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

export class InMemoryPods extends PodGateway {
  private readonly pods = new Map<string, V1Pod>();
  /** Pods a PodDisruptionBudget holds, with the budget's name. */
  private readonly budgets = new Map<string, string>();
  /** Every eviction asked for, as namespace/name, with dryRun. */
  readonly evictions: { pod: string; dryRun: boolean }[] = [];

  async list(query: PodQuery): Promise<V1Pod[]> {
    const selector = parseLabelSelector(query.labelSelector ?? '');
    return [...this.pods.values()]
      .filter(
        (pod) =>
          (query.namespace === undefined || pod.metadata!.namespace === query.namespace) &&
          (query.node === undefined || pod.spec!.nodeName === query.node) &&
          (query.name === undefined || pod.metadata!.name === query.name) &&
          matchesLabels(selector, pod.metadata!.labels),
      )
      .map(copy);
  }

  async evict(
    { name, namespace }: { name: string; namespace: string },
    options: EvictionOptions,
  ): Promise<void> {
    const id = key(namespace, name);
    this.evictions.push({ pod: id, dryRun: options.dryRun === true });
    if (!this.pods.has(id)) throw notFound('pods', name);
    const budget = this.budgets.get(id);
    if (budget !== undefined) {
      throw apiError(
        429,
        'TooManyRequests',
        "Cannot evict pod as it would violate the pod's disruption budget.",
        [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${budget} needs 1 healthy pods and has 1 currently`,
          },
        ],
      );
    }
    if (!options.dryRun) this.pods.delete(id);
  }

  add(spec: InMemoryPodSpec): void {
    const namespace = spec.namespace ?? 'default';
    const ownerReferences = spec.ownerKind
      ? [{ apiVersion: 'apps/v1', kind: spec.ownerKind, name: 'owner', uid: 'u', controller: true }]
      : undefined;
    this.pods.set(key(namespace, spec.name), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace,
        name: spec.name,
        labels: spec.labels ?? {},
        ...(ownerReferences ? { ownerReferences } : {}),
        ...(spec.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'hash' } } : {}),
      },
      spec: { nodeName: spec.node, containers: [{ name: 'c', image: 'pause' }] },
      status: { phase: 'Running' },
    });
  }

  /** A PodDisruptionBudget that allows no disruption of this pod now (undefined: lifted). */
  hold(pod: string, budget: string | undefined): void {
    if (budget === undefined) this.budgets.delete(pod);
    else this.budgets.set(pod, budget);
  }

  /** namespace/name of every pod on the node. */
  on(node: string): string[] {
    return [...this.pods.values()]
      .filter((pod) => pod.spec!.nodeName === node)
      .map((pod) => key(pod.metadata!.namespace!, pod.metadata!.name!))
      .sort();
  }
}
