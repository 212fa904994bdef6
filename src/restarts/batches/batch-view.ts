// The RestartBatch object as the API returns it, rendered from its record.
import { VERSION } from '../../apiserver/resource-catalog.js';
import { BATCH_KIND } from './batch-request.js';
import type { BatchNode, BatchPhase, RestartBatchRecord } from './restart-batch.js';

export interface RestartBatchObject {
  apiVersion: string;
  kind: typeof BATCH_KIND;
  metadata: { name: string; uid: string; resourceVersion?: string; creationTimestamp: string };
  spec: { labelSelector: string; maxUnavailable: number; options: RestartBatchRecord['options'] };
  status: {
    phase: BatchPhase;
    message: string;
    requestedBy: string;
    startedAt: string;
    updatedAt: string;
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
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: BATCH_KIND,
    metadata: { name: batch.name, uid: batch.uid, ...version, creationTimestamp: batch.startedAt },
    spec: {
      labelSelector: batch.labelSelector,
      maxUnavailable: batch.maxUnavailable,
      options: batch.options,
    },
    status: {
      phase: batch.phase,
      message: batch.message,
      requestedBy: batch.user.name,
      startedAt: batch.startedAt,
      updatedAt: batch.updatedAt,
      nodes: batch.nodes.map(({ claimedAt: _, ...node }) => node),
    },
  };
}

/** The batch's status message: "3 nodes: 1 Succeeded, 1 Restarting, 1 Pending; at most 2 at a time". */
export function batchMessage(nodes: readonly BatchNode[], maxUnavailable: number): string {
  return `${batchSummary(nodes)}; at most ${maxUnavailable} at a time`;
}

/** "3 nodes: 1 Succeeded, 1 Restarting, 1 Pending". */
export function batchSummary(nodes: readonly BatchNode[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.phase, (counts.get(node.phase) ?? 0) + 1);
  const parts = [...counts].map(([phase, n]) => `${n} ${phase}`);
  return `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
