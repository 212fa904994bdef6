// Kubernetes Events on the Node for every decision and phase of a restart (and each power action), as
// `kubectl describe node N` and `kubectl describe nodes.infraops.michael.io N` show them: both look for
// involvedObject.kind Node and the object's uid, which our nodes share with the core Node (kubectl's NodeDescriber
// also accepts the node name, as the kubelet records it, but the generic describer only the uid). ApiNodeEvents is
// the real one.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CoreV1Api } from '@kubernetes/client-node';
import { CORE_API } from '../../kube/kube.tokens.js';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from './node-reader.js';

const COMPONENT = 'k8s-cloud-node-manager';
const EVENT_NAMESPACE = 'default';

export type EventType = 'Normal' | 'Warning';

export abstract class NodeEvents {
  /** Best effort: a failure to record is logged, and never fails the restart it describes. */
  abstract record(node: string, type: EventType, reason: string, message: string): Promise<void>;
}

@Injectable()
export class ApiNodeEvents extends NodeEvents {
  private readonly log = new Logger(NodeEvents.name);

  constructor(
    @Inject(CORE_API) private readonly core: CoreV1Api,
    @Inject(NodeCache) private readonly nodes: NodeReader,
  ) {
    super();
  }

  async record(node: string, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date();
    // A Node gone from the cache keeps the kubelet's convention, which kubectl describe node still finds.
    const uid = this.nodes.get(node)?.metadata?.uid ?? node;
    try {
      await this.core.createNamespacedEvent({
        namespace: EVENT_NAMESPACE,
        body: {
          metadata: { name: `${node}.${randomBytes(8).toString('hex')}`, namespace: EVENT_NAMESPACE },
          involvedObject: { apiVersion: 'v1', kind: 'Node', name: node, uid },
          type,
          reason,
          message: message.slice(0, 1024),
          source: { component: COMPONENT },
          reportingComponent: COMPONENT,
          reportingInstance: hostname(),
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (err) {
      this.log.warn(`recording event ${reason} on node ${node} failed: ${(err as Error).message}`);
    }
  }
}
