// Carries every running batch on, on whichever replica gets there first: notes how its nodes' restarts
// ended, and starts the next ones while fewer than maxUnavailable are restarting. A node is claimed on the
// batch's Lease (written with its resourceVersion) before its restart is asked for, so it is started once.
import { RepeatingPass } from '../common/repeating-pass.js';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { StatusError } from '../common/status.js';
import { RestartService } from '../nodes/restart/restart.service.js';
import { OperationStore, isHttpStatus } from '../operations/operation-store.js';
import { isFinished, rfc3339 } from '../operations/restart-operation.js';
import { BatchStore, type StoredBatch } from './batch-store.js';
import { batchSummary } from './batch-view.js';
import { finalPhase, type BatchNode, type RestartBatchRecord } from './restart-batch.js';

const TICK_MS = 2000;
/** A claim whose replica never recorded the operation it started is looked at again after this. */
const CLAIM_TIMEOUT_MS = 30_000;

@Injectable()
export class BatchRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(BatchRunner.name);
  private readonly passes = new RepeatingPass(() => this.runAll());

  constructor(
    private readonly batches: BatchStore,
    private readonly operations: OperationStore,
    private readonly restarts: RestartService,
  ) {}

  onApplicationBootstrap(): void {
    const kick = () => void this.kick();
    this.batches.onChange(kick);
    this.operations.onChange(kick);
    this.passes.start(TICK_MS);
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  kick(): Promise<void> {
    return this.passes.kick();
  }

  private async runAll(): Promise<void> {
    if (!this.batches.synced || !this.operations.synced) return;
    for (const stored of this.batches.all()) {
      if (stored.batch.phase !== 'Running') continue;
      try {
        await this.run(stored);
      } catch (err) {
        if (!isHttpStatus(err, 409))
          this.log.warn(`restart batch ${stored.batch.name}: ${(err as Error).message}`);
      }
    }
  }

  private async run(stored: StoredBatch): Promise<void> {
    const observed = this.observe(stored.batch);
    if (observed !== stored.batch) stored = await this.save(stored, observed);
    for (;;) {
      const { batch } = stored;
      const restarting = batch.nodes.filter((n) => n.phase === 'Restarting').length;
      const next = batch.nodes.find((n) => n.phase === 'Pending');
      if (!next || restarting >= batch.maxUnavailable) return;
      const claimed = await this.save(
        stored,
        this.withNode(batch, next.name, { phase: 'Restarting', claimedAt: rfc3339(Date.now()) }),
      );
      const outcome = await this.start(claimed.batch, next.name);
      stored = await this.save(claimed, this.withNode(claimed.batch, next.name, outcome));
      if (outcome.phase === 'Pending') return; // over a budget: try again later
    }
  }

  /** Asks for one node's restart as the batch's user; a budget refusal leaves it Pending. */
  private async start(batch: RestartBatchRecord, node: string): Promise<Partial<BatchNode>> {
    const reason = batch.options.reason ?? `restart batch ${batch.name}`;
    try {
      const answer = await this.restarts.restart(
        node,
        { ...batch.options, reason, dryRun: false },
        batch.user,
      );
      return { operationID: answer.status.operationID, message: answer.status.message };
    } catch (err) {
      const status = err instanceof StatusError ? err.status : undefined;
      const message = status ? `${status.code} ${status.reason}: ${status.message}` : (err as Error).message;
      return status?.code === 429
        ? { phase: 'Pending', claimedAt: undefined, message }
        : { phase: 'Failed', message };
    }
  }

  /** The batch with its restarting nodes updated from their operations; the same object when nothing changed. */
  private observe(batch: RestartBatchRecord): RestartBatchRecord {
    let changed = false;
    const nodes = batch.nodes.map((node): BatchNode => {
      if (node.phase !== 'Restarting') return node;
      const op = this.operations.latest(node.name);
      if (node.operationID === undefined) {
        // Claimed by a replica that stopped before it recorded the operation: adopt the one it started, if any.
        if (Date.now() - Date.parse(node.claimedAt ?? '') < CLAIM_TIMEOUT_MS) return node;
        changed = true;
        const started = op && op.startedAt >= (node.claimedAt ?? '');
        return started
          ? { ...node, operationID: op.id }
          : { ...node, phase: 'Pending', claimedAt: undefined };
      }
      if (op?.id !== node.operationID) {
        changed = true;
        return { ...node, phase: 'Failed', message: `its restart ${node.operationID} is no longer recorded` };
      }
      if (!isFinished(op)) return node;
      changed = true;
      return { ...node, phase: op.phase === 'Succeeded' ? 'Succeeded' : 'Failed', message: op.message };
    });
    const phase = finalPhase(nodes) ?? 'Running';
    if (!changed && phase === batch.phase) return batch;
    return {
      ...batch,
      nodes,
      phase,
      message: `${batchSummary(nodes)}; at most ${batch.maxUnavailable} at a time`,
    };
  }

  private withNode(batch: RestartBatchRecord, name: string, change: Partial<BatchNode>): RestartBatchRecord {
    const nodes = batch.nodes.map((n) => (n.name === name ? { ...n, ...change } : n));
    return { ...batch, nodes, message: `${batchSummary(nodes)}; at most ${batch.maxUnavailable} at a time` };
  }

  private save(stored: StoredBatch, batch: RestartBatchRecord): Promise<StoredBatch> {
    return this.batches.replace({ ...batch, updatedAt: rfc3339(Date.now()) }, stored.resourceVersion);
  }
}
