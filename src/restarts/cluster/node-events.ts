// Kubernetes Events on the Node for every decision and phase of a restart (and each power action), as
// `kubectl describe node` shows them (it looks for involvedObject.uid equal to the node name, as the kubelet records
// them). ApiNodeEvents is the real one.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CoreV1Api } from '@kubernetes/client-node';
import { CORE_API } from '../../kube/kube.tokens.js';

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

  constructor(@Inject(CORE_API) private readonly core: CoreV1Api) {
    super();
  }

  async record(node: string, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date();
    try {
      await this.core.createNamespacedEvent({
        namespace: EVENT_NAMESPACE,
        body: {
          metadata: { name: `${node}.${randomBytes(8).toString('hex')}`, namespace: EVENT_NAMESPACE },
          involvedObject: { apiVersion: 'v1', kind: 'Node', name: node, uid: node },
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
