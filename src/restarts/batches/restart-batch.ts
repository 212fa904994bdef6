// A RestartBatch: the nodes matching a label selector restarted at most maxUnavailable at a time, each as its own
// restart operation. Like operations it lives on a Lease (one per batch), so any replica carries it on.
import type { UserInfo } from '../../apiserver/request-context.js';
import type { RestartOptions } from '../request/restart-options.js';
import { LEASE_LABELS } from '../operations/restart-operation.js';
import type { MaintenanceWindow } from './maintenance-window.js';

export type BatchPhase = 'Running' | 'Succeeded' | 'Failed';
/** Pending: not started. Restarting: its operation runs. Then how that operation ended. */
export type BatchNodePhase = 'Pending' | 'Restarting' | 'Succeeded' | 'Failed';

export interface BatchNode {
  name: string;
  phase: BatchNodePhase;
  /** When a replica claimed the node to start its restart (RFC 3339). */
  claimedAt?: string;
  operationID?: string;
  message?: string;
}

export interface RestartBatchRecord {
  name: string;
  uid: string;
  labelSelector: string;
  maxUnavailable: number;
  /** Failed nodes the batch tolerates; one more and it starts no more nodes. Absent on older records: 0. */
  maxFailures?: number;
  /** When it may start nodes; always when absent. */
  maintenanceWindow?: MaintenanceWindow;
  /** Set once the batch stopped starting nodes: why. */
  halted?: string;
  /** The latest suspend or resume (spec.suspend): while suspended the batch starts no node. */
  suspension?: { suspended: boolean; by: string; at: string };
  /** Set by a DELETE: the Lease goes once none of the batch's restarts is running. */
  deletion?: { by: string; at: string };
  options: Omit<RestartOptions, 'dryRun'>;
  /** Who asked: each node's restart is checked (control-plane rules included) as this user's. */
  user: UserInfo;
  phase: BatchPhase;
  nodes: BatchNode[];
  startedAt: string;
  updatedAt: string;
  message: string;
}

export const BATCH_ANNOTATION = 'infraops.michael.io/restart-batch';
export const BATCH_LABELS = { ...LEASE_LABELS, 'app.kubernetes.io/component': 'restart-batch' };

// Not restart-…: those are the nodes' operation Leases.
export const batchLeaseName = (name: string) => `batch-${name}`;

export const isBatch = (batch: RestartBatchRecord) =>
  typeof batch.name === 'string' && Array.isArray(batch.nodes);

/**
 * The phase a batch has once none of its nodes is left to run: nothing restarting and, unless it was halted,
 * nothing pending. A halted batch has Failed, whatever its Pending nodes.
 */
export function finalPhase(nodes: readonly BatchNode[], halted = false): BatchPhase | undefined {
  if (nodes.some((n) => n.phase === 'Restarting')) return undefined;
  if (halted) return 'Failed';
  if (nodes.some((n) => n.phase === 'Pending')) return undefined;
  return nodes.every((n) => n.phase === 'Succeeded') ? 'Succeeded' : 'Failed';
}
