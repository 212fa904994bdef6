// The node's latest restart and its phase, kept as an annotation on the Node as well as on its Lease: the Node
// is what people look at (`kubectl get node -o yaml`, our `nodes` resource), and every replica's Node informer
// sees it without reading Leases.
import type { V1Node } from '@kubernetes/client-node';
import type { OperationPhase, RestartOperation } from './restart-operation.js';

export const RESTART_ANNOTATION = 'infraops.michael.io/restart';

export interface RestartMark {
  operationID: string;
  phase: OperationPhase;
  /** RFC 3339, when the phase was reached. */
  time: string;
}

export const restartMark = (op: RestartOperation): RestartMark => ({
  operationID: op.id,
  phase: op.phase,
  time: op.updatedAt,
});

export function readRestartMark(node: V1Node): RestartMark | undefined {
  const text = node.metadata?.annotations?.[RESTART_ANNOTATION];
  if (!text) return undefined;
  try {
    const mark = JSON.parse(text) as RestartMark;
    return typeof mark.operationID === 'string' && typeof mark.phase === 'string' ? mark : undefined;
  } catch {
    return undefined;
  }
}
