// A restart as a durable operation: what was asked, where it stands, and why. It lives on a Lease (one per
// node), so any replica — or this one after a restart, even on the rebooted node — can finish following it.
import { createHash } from 'node:crypto';
import type { V1Lease } from '@kubernetes/client-node';
import type { RebootMode } from '../../cloud/contract/provider.js';

/**
 * Accepted: recorded, the cloud not yet asked. Cordoned, Draining: a drained restart is moving the pods away.
 * RebootRequested: the cloud accepted the reboot. NotReady: the node went down. Ready: it came back Ready with a
 * new bootID. Uncordoned: the cordon this restart set is lifted. Succeeded: all done. Failed: see the message.
 * Cancelled: a user cancelled it before the cloud was asked; nothing was restarted.
 */
export type OperationPhase =
  | 'Accepted'
  | 'Cordoned'
  | 'Draining'
  | 'RebootRequested'
  | 'NotReady'
  | 'Ready'
  | 'Uncordoned'
  | 'Succeeded'
  | 'Failed'
  | 'Cancelled';

/** How a drained restart drains, and until when (RFC 3339). */
export interface OperationDrain {
  gracePeriodSeconds?: number;
  timeoutSeconds: number;
  onTimeout: 'Fail' | 'Proceed';
  deadline: string;
}

export interface RestartOperation {
  id: string;
  node: string;
  phase: OperationPhase;
  mode: RebootMode;
  reason?: string;
  requestedBy: string;
  cloud: string;
  region: string;
  zone?: string;
  instanceID: string;
  requestID?: string;
  /** The Node's bootID when the restart was asked for; a different one (and Ready) means it came back. */
  previousBootID?: string;
  /** RFC 3339 times. */
  startedAt: string;
  updatedAt: string;
  /** After this the operation fails if the node is not back. */
  deadline: string;
  message: string;
  drain?: OperationDrain;
  /** The node's pool (its --pool-label value), for the per-pool budget. */
  pool?: string;
  /** This operation cordoned the node, so it uncordons it when the node is back. */
  cordoned?: boolean;
  /** When a replica began asking the cloud for the reboot of a drained node (claimed, so asked once). */
  rebootingSince?: string;
  /**
   * When the reboot's turn at the cloud came and it was sent: written with the Lease's resourceVersion just before
   * the call, so that exactly one of it and a cancel wins. Until then, waiting in the cloud pacing included, a
   * cancel is in time.
   */
  sentAt?: string;
}

export const OPERATION_ANNOTATION = 'infraops.michael.io/restart-operation';
export const NODE_ANNOTATION = 'infraops.michael.io/node';
export const POOL_ANNOTATION = 'infraops.michael.io/pool';
export const LEASE_LABELS = {
  'app.kubernetes.io/managed-by': 'k8s-cloud-node-manager',
  'app.kubernetes.io/component': 'restart-operation',
};
export const LEASE_SELECTOR = Object.entries(LEASE_LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

export const isFinished = (op: RestartOperation) =>
  op.phase === 'Succeeded' || op.phase === 'Failed' || op.phase === 'Cancelled';

/** Still holds its node: not finished and not past its deadline (a replica that died mid-way ages out). */
export function isRunning(op: RestartOperation, now = Date.now()): boolean {
  return !isFinished(op) && Date.parse(op.deadline) > now;
}

/** Not yet at its cloud call: the reboot was not sent (it may be waiting for its turn at the cloud). */
export const cancellable = (op: RestartOperation) =>
  (op.phase === 'Accepted' || op.phase === 'Cordoned' || op.phase === 'Draining') && !op.sentAt;

export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** restart-NODE, or a hash when the node name is too long for a Lease name with the prefix. */
export function leaseName(node: string): string {
  const name = `restart-${node}`;
  return name.length <= 253
    ? name
    : `restart-${createHash('sha256').update(node).digest('hex').slice(0, 40)}`;
}

export function operationLease(op: RestartOperation, namespace: string, resourceVersion?: string): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: leaseName(op.node),
      namespace,
      labels: LEASE_LABELS,
      annotations: { [NODE_ANNOTATION]: op.node, [OPERATION_ANNOTATION]: JSON.stringify(op) },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: {
      // Start and update times live in the operation record.
      holderIdentity: op.id,
      leaseDurationSeconds: Math.max(
        1,
        Math.ceil((Date.parse(op.deadline) - Date.parse(op.startedAt)) / 1000),
      ),
    },
  };
}

export function operationFromLease(lease: V1Lease | undefined): RestartOperation | undefined {
  const text = lease?.metadata?.annotations?.[OPERATION_ANNOTATION];
  if (!text) return undefined;
  try {
    const op = JSON.parse(text) as RestartOperation;
    return typeof op.id === 'string' && typeof op.node === 'string' ? op : undefined;
  } catch {
    return undefined;
  }
}
