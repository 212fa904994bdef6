// What runs on a node that should stop its restart: pods matching --blocking-pod-selector (as kured's
// --blocking-pod-selector), and this server itself when no other ready replica could follow the restart
// through — the request would reboot the replica that answered it. Both are a 409: the node's state conflicts
// with the request, and a later one may succeed.
import { Injectable } from '@nestjs/common';
import type { V1Pod } from '@kubernetes/client-node';
import { StatusError, conflict } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { PodGateway } from '../cluster/pod-gateway.js';

/** Where this server runs, from the downward API variables our Deployment sets; absent out of a cluster. */
export interface OwnPod {
  name: string;
  namespace: string;
  node: string;
}

export function ownPod(env: NodeJS.ProcessEnv = process.env): OwnPod | undefined {
  const { POD_NAME: name, POD_NAMESPACE: namespace, NODE_NAME: node } = env;
  return name && namespace && node ? { name, namespace, node } : undefined;
}

const isActive = (pod: V1Pod) =>
  !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
/** Labels that differ between a Deployment's ReplicaSets; its replicas share the others. */
const PER_REPLICA_SET_LABELS = new Set(['pod-template-hash']);

@Injectable()
export class NodeWorkloads {
  private readonly self = ownPod();

  constructor(
    private readonly pods: PodGateway,
    private readonly options: ServerOptions,
  ) {}

  async check(node: string): Promise<void> {
    const refuse = (why: string) =>
      new StatusError(conflict({ group: this.options.apiGroup, resource: 'nodes', name: node }, why));
    const blocking = await this.blockingPods(node);
    if (blocking.length > 0) {
      throw refuse(
        `pods matching --blocking-pod-selector=${this.options.blockingPodSelector} run on it: ${blocking.join(', ')}`,
      );
    }
    if (this.self?.node === node && !(await this.anotherReplicaReady(this.self))) {
      throw refuse(
        `it runs this server (pod ${this.self.namespace}/${this.self.name}) and no other ready replica on another node could see the restart through; run two or more replicas spread over nodes`,
      );
    }
  }

  private async blockingPods(node: string): Promise<string[]> {
    const labelSelector = this.options.blockingPodSelector;
    if (!labelSelector) return [];
    const pods = await this.pods.list({ labelSelector, node });
    return pods.filter(isActive).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
  }

  private async anotherReplicaReady(self: OwnPod): Promise<boolean> {
    // A list by name, as the server may list pods but not get them.
    const own = await this.pods.list({ namespace: self.namespace, name: self.name });
    const labelSelector = Object.entries(own[0]?.metadata?.labels ?? {})
      .filter(([key]) => !PER_REPLICA_SET_LABELS.has(key))
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    if (!labelSelector) return false;
    const replicas = await this.pods.list({ namespace: self.namespace, labelSelector });
    return replicas.some(
      (pod) =>
        pod.metadata?.name !== self.name && pod.spec?.nodeName !== self.node && isActive(pod) && isReady(pod),
    );
  }
}
