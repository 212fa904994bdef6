// The Pods restarts look at (what runs on a node, this server's replicas) and the Eviction API a drain moves them
// with. Lists select by label and by field, never a get, as the server's role may list pods but not get them.
// ApiPodGateway is the real one.
import { Inject, Injectable } from '@nestjs/common';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { CORE_API } from '../../kube/kube.tokens.js';

export interface PodQuery {
  /** Every namespace when absent. */
  namespace?: string;
  labelSelector?: string;
  /** spec.nodeName=NODE */
  node?: string;
  /** metadata.name=NAME */
  name?: string;
}

export interface EvictionOptions {
  gracePeriodSeconds?: number;
  /** Ask whether the eviction would be allowed (dryRun=All), evicting nothing. */
  dryRun?: boolean;
}

export abstract class PodGateway {
  abstract list(query: PodQuery): Promise<V1Pod[]>;
  /**
   * Asks the Eviction API to evict the pod. A refusal is the API's error: 429 with the PodDisruptionBudget that holds
   * it, 404 when the pod is gone.
   */
  abstract evict(pod: { name: string; namespace: string }, options: EvictionOptions): Promise<void>;
}

function fieldSelector({ node, name }: PodQuery): string | undefined {
  const fields = [
    ...(node === undefined ? [] : [`spec.nodeName=${node}`]),
    ...(name === undefined ? [] : [`metadata.name=${name}`]),
  ];
  return fields.length > 0 ? fields.join(',') : undefined;
}

@Injectable()
export class ApiPodGateway extends PodGateway {
  constructor(@Inject(CORE_API) private readonly core: CoreV1Api) {
    super();
  }

  async list(query: PodQuery): Promise<V1Pod[]> {
    const selectors = {
      ...(query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector }),
      ...(fieldSelector(query) === undefined ? {} : { fieldSelector: fieldSelector(query) }),
    };
    const list =
      query.namespace === undefined
        ? await this.core.listPodForAllNamespaces(selectors)
        : await this.core.listNamespacedPod({ namespace: query.namespace, ...selectors });
    return list.items;
  }

  async evict(
    { name, namespace }: { name: string; namespace: string },
    options: EvictionOptions,
  ): Promise<void> {
    const grace = options.gracePeriodSeconds;
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
  }
}
