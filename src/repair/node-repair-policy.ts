// A NodeRepairPolicy: the nodes a label selector matches, restarted when one stays NotReady (or Unknown) longer
// than notReadyTimeout, unless more of them than maxUnhealthy are down (a cluster or network problem then, not a
// node's), at most maxRepairsPerHour times a node. Like restart batches it lives on a Lease (one per policy); its
// status is written by the replica that leads the repairs.
import type { RestartOptions } from '../restarts/request/restart-options.js';
import { LEASE_LABELS } from '../restarts/operations/restart-operation.js';

export const POLICY_KIND = 'NodeRepairPolicy';
export const POLICY_RESOURCE = 'noderepairpolicies';

/** Repair: restart nodes. DryRun: only record in the status (and an Event) what it would restart. */
export type PolicyMode = 'Repair' | 'DryRun';

export interface PolicySpec {
  nodeSelector: string;
  /** As given ("10m"); notReadyTimeoutMs is what it means. */
  notReadyTimeout: string;
  notReadyTimeoutMs: number;
  /** A count, or a percentage of the selected nodes ("40%", rounded down). */
  maxUnhealthy: number | string;
  maxRepairsPerHour: number;
  mode: PolicyMode;
  options: Omit<RestartOptions, 'dryRun'>;
}

/**
 * Repairing: its restart is claimed or running. Repaired / Failed: how that restart ended. Healthy: Ready again with
 * repairs in the last hour (kept for the back-off). GaveUp: maxRepairsPerHour reached, a human is needed. WouldRepair:
 * DryRun's decision. Skipped: not repaired, see reason (MaxUnhealthy, Busy, Refused).
 */
export type NodeRepairPhase =
  'Repairing' | 'Repaired' | 'Failed' | 'Healthy' | 'GaveUp' | 'WouldRepair' | 'Skipped';
export type SkipReason = 'MaxUnhealthy' | 'Busy' | 'Refused';

export interface NodeRepairEntry {
  name: string;
  phase: NodeRepairPhase;
  reason?: SkipReason;
  /** Since when the node has been NotReady, as the decision saw it (RFC 3339). */
  unhealthySince?: string;
  /** When each repair of the last hour was claimed (RFC 3339), for maxRepairsPerHour. */
  repairs: string[];
  /** A repair claimed but whose restart operation is not recorded yet. */
  claimedAt?: string;
  operationID?: string;
  /** When the last repair's restart ended: the NotReady time counts again from there. */
  lastRepairEnded?: string;
  message: string;
  lastTransitionTime: string;
}

export interface PolicyCondition {
  type: 'MaxUnhealthyExceeded' | 'NeedsAttention';
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface PolicyStatus {
  watchedNodes: number;
  unhealthyNodes: number;
  /** maxUnhealthy resolved against the selected nodes. */
  allowedUnhealthy: number;
  nodes: NodeRepairEntry[];
  conditions: PolicyCondition[];
  message: string;
  updatedAt?: string;
}

export interface NodeRepairPolicyRecord {
  name: string;
  uid: string;
  generation: number;
  createdAt: string;
  createdBy: string;
  spec: PolicySpec;
  status: PolicyStatus;
}

export const POLICY_ANNOTATION = 'infraops.michael.io/node-repair-policy';
export const POLICY_LABELS = { ...LEASE_LABELS, 'app.kubernetes.io/component': 'node-repair-policy' };

// Not restart-… or batch-…: those are the operations' and batches' Leases.
export const policyLeaseName = (name: string) => `repair-policy-${name}`;

export const isPolicy = (policy: NodeRepairPolicyRecord) =>
  typeof policy.name === 'string' && typeof policy.spec === 'object';

export function emptyStatus(): PolicyStatus {
  return { watchedNodes: 0, unhealthyNodes: 0, allowedUnhealthy: 0, nodes: [], conditions: [], message: '' };
}
