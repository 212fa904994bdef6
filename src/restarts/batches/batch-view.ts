// The RestartBatch object as the API returns it, rendered from its record.
import { VERSION } from '../../apiserver/resource-catalog.js';
import { BATCH_KIND } from './batch-request.js';
import type { BatchNode, BatchPhase, RestartBatchRecord } from './restart-batch.js';

export interface RestartBatchObject {
  apiVersion: string;
  kind: typeof BATCH_KIND;
  metadata: {
    name: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp: string;
    deletionTimestamp?: string;
  };
  spec: {
    labelSelector: string;
    maxUnavailable: number;
    maxFailures: number;
    maintenanceWindow?: RestartBatchRecord['maintenanceWindow'];
    options: RestartBatchRecord['options'];
    suspend: boolean;
  };
  status: {
    phase: BatchPhase;
    message: string;
    requestedBy: string;
    startedAt: string;
    updatedAt: string;
    /** Why the batch starts no more nodes, once it has stopped. */
    halted?: string;
    /** `Suspended`, once the batch has been suspended or resumed. */
    conditions?: BatchCondition[];
    nodes: Omit<BatchNode, 'claimedAt'>[];
  };
}

/** The object; `resourceVersion` is its Lease's (none for a dry run, as nothing was stored). */
export function batchObject(
  group: string,
  batch: RestartBatchRecord,
  resourceVersion?: string,
): RestartBatchObject {
  const version = resourceVersion === undefined ? {} : { resourceVersion };
  const suspended = batch.suspension?.suspended === true;
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: BATCH_KIND,
    metadata: {
      name: batch.name,
      uid: batch.uid,
      ...version,
      creationTimestamp: batch.startedAt,
      ...(batch.deletion ? { deletionTimestamp: batch.deletion.at } : {}),
    },
    spec: {
      labelSelector: batch.labelSelector,
      maxUnavailable: batch.maxUnavailable,
      maxFailures: batch.maxFailures ?? 0,
      ...(batch.maintenanceWindow ? { maintenanceWindow: batch.maintenanceWindow } : {}),
      options: batch.options,
      suspend: suspended,
    },
    status: {
      phase: batch.phase,
      message:
        suspended && !batch.halted && batch.phase === 'Running'
          ? `${batch.message}; suspended by ${batch.suspension!.by}: no more nodes are started`
          : batch.message,
      requestedBy: batch.user.name,
      startedAt: batch.startedAt,
      updatedAt: batch.updatedAt,
      ...(batch.halted ? { halted: batch.halted } : {}),
      ...(batch.suspension ? { conditions: [suspendedCondition(batch.suspension)] } : {}),
      nodes: batch.nodes.map(({ claimedAt: _, ...node }) => node),
    },
  };
}

/** A metav1.Condition, as a Job's status says `Suspended`. */
export interface BatchCondition {
  type: 'Suspended';
  status: 'True' | 'False';
  reason: 'Suspended' | 'Resumed';
  message: string;
  lastTransitionTime: string;
}

function suspendedCondition({ suspended, by, at }: NonNullable<RestartBatchRecord['suspension']>) {
  return {
    type: 'Suspended',
    status: suspended ? 'True' : 'False',
    reason: suspended ? 'Suspended' : 'Resumed',
    message: suspended ? `suspended by ${by}: no more nodes are started` : `resumed by ${by}`,
    lastTransitionTime: at,
  } satisfies BatchCondition;
}

/**
 * The batch's status message: "3 nodes: 1 Succeeded, 1 Restarting, 1 Pending; at most 2 at a time", and why it
 * starts no more nodes once halted.
 */
export function batchMessage(nodes: readonly BatchNode[], maxUnavailable: number, halted?: string): string {
  const message = `${batchSummary(nodes)}; at most ${maxUnavailable} at a time`;
  return halted ? `${message}; ${halted}` : message;
}

/** "3 nodes: 1 Succeeded, 1 Restarting, 1 Pending". */
export function batchSummary(nodes: readonly BatchNode[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.phase, (counts.get(node.phase) ?? 0) + 1);
  const parts = [...counts].map(([phase, n]) => `${n} ${phase}`);
  return `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
