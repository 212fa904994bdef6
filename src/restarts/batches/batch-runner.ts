// Carries every running batch on, on whichever replica gets there first: notes how its nodes' restarts
// ended, and starts the next ones while fewer than maxUnavailable of its nodes are unavailable — restarting, or
// NotReady for any reason (batch-availability.ts). More failed nodes than maxFailures halt it: it starts no
// more. A node is claimed on the batch's Lease (written with its resourceVersion) before its restart is asked
// for, so it is started once; the nodes claimed in one pass start together, so the cloud gets their reboots in
// one call.
import { PassRunner, type ChangeSource } from '../../common/repeating-pass.js';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { StatusError } from '../../apiserver/status.js';
import { RestartService } from '../request/restart.service.js';
import { isHttpStatus } from '../cluster/leases.js';
import { NodeEvents } from '../cluster/node-events.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { NodeCache } from '../../kube/node-cache.js';
import { BatchAvailability } from './batch-availability.js';
import { windowOpen } from './maintenance-window.js';
import { OperationStore } from '../operations/operation-store.js';
import { isFinished, rfc3339 } from '../operations/restart-operation.js';
import { BatchStore, type StoredBatch } from './batch-store.js';
import { batchMessage } from './batch-view.js';
import { finalPhase, type BatchNode, type RestartBatchRecord } from './restart-batch.js';

const TICK_MS = 2000;
/** A claim whose replica never recorded the operation it started is looked at again after this. */
const CLAIM_TIMEOUT_MS = 30_000;
/** Writes of one node's outcome, when other replicas keep moving the batch. */
const RECORD_ATTEMPTS = 5;

interface Claim {
  name: string;
  claimedAt: string;
}

/** Why a batch stops starting nodes, once more of them failed than it tolerates; undefined while it may go on. */
function haltedBy(nodes: readonly BatchNode[], maxFailures: number): string | undefined {
  const failed = nodes.filter((n) => n.phase === 'Failed').length;
  if (failed <= maxFailures) return undefined;
  return `halted: ${failed} failed, more than maxFailures ${maxFailures}; no more nodes are started`;
}

@Injectable()
export class BatchRunner extends PassRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(BatchRunner.name);

  constructor(
    private readonly batches: BatchStore,
    private readonly operations: OperationStore,
    private readonly restarts: RestartService,
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly events: NodeEvents,
  ) {
    super(TICK_MS);
  }

  protected changeSources(): ChangeSource[] {
    // A node of a batch that comes back Ready (or goes down) changes how many more may start.
    return [this.batches, this.operations, this.nodes];
  }

  protected async pass(): Promise<void> {
    if (!this.batches.synced || !this.operations.synced || !this.nodes.synced) return;
    for (const stored of this.batches.all()) {
      if (stored.record.phase !== 'Running' && !stored.record.deletion) continue;
      try {
        await (stored.record.deletion ? this.finishDeletion(stored) : this.run(stored));
      } catch (err) {
        if (!isHttpStatus(err, 409))
          this.log.warn(`restart batch ${stored.record.name}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Claims every node there is room for, one write at a time, then starts their restarts together (so that their
   * reboots can share a cloud call), and records how each start ended, one node per write.
   */
  private async run(stored: StoredBatch): Promise<void> {
    for (;;) {
      stored = await this.observed(stored);
      const { claimed, claims } = await this.claim(stored);
      if (claims.length === 0) return;
      const outcomes = await Promise.all(
        claims.map(async (c) => ({ ...c, outcome: await this.start(claimed.record, c.name) })),
      );
      stored = claimed;
      for (const { name, claimedAt, outcome } of outcomes)
        stored = await this.record(stored, name, claimedAt, outcome);
      if (outcomes.some((o) => o.outcome.phase === 'Pending')) return; // over a budget: try again later
    }
  }

  /**
   * A deleted batch starts no node (its halted reason says so); once none of its restarts is running, which is when
   * no write of an outcome can come after, its Lease goes.
   */
  private async finishDeletion(stored: StoredBatch): Promise<void> {
    stored = await this.observed(stored);
    if (stored.record.nodes.some((n) => n.phase === 'Restarting')) return;
    await this.batches.delete(stored.record.name, stored.resourceVersion);
  }

  /** The batch with how its nodes' restarts ended written, and an Event when that halted it. */
  private async observed(stored: StoredBatch): Promise<StoredBatch> {
    const observed = this.observe(stored.record);
    if (observed === stored.record) return stored;
    const saved = await this.save(stored, observed);
    if (stored.record.halted === undefined && observed.halted !== undefined) void this.tellHalted(observed);
    return saved;
  }

  /**
   * Claims Pending nodes while the batch stays within maxUnavailable and is not halted; stops at the first write
   * that fails.
   */
  private async claim(stored: StoredBatch): Promise<{ claimed: StoredBatch; claims: Claim[] }> {
    const claims: Claim[] = [];
    const availability = new BatchAvailability(stored.record, (name) => this.nodes.get(name));
    for (;;) {
      const { record: batch } = stored;
      const open = !batch.maintenanceWindow || windowOpen(batch.maintenanceWindow, Date.now());
      const suspended = batch.suspension?.suspended === true;
      const next = batch.halted === undefined && !suspended && open ? availability.next(batch) : undefined;
      if (!next) return { claimed: stored, claims };
      const claimedAt = rfc3339(Date.now());
      try {
        stored = await this.save(stored, this.withNode(batch, next.name, { phase: 'Restarting', claimedAt }));
      } catch (err) {
        if (claims.length === 0) throw err;
        // The nodes claimed so far are this replica's to start.
        if (!isHttpStatus(err, 409)) this.log.warn(`restart batch ${batch.name}: ${(err as Error).message}`);
        return { claimed: stored, claims };
      }
      availability.claimed(next.name);
      claims.push({ name: next.name, claimedAt });
    }
  }

  /**
   * Writes how a node's start ended. A 409 means another replica moved the batch meanwhile: the write is made again
   * on the batch as it is now, as long as the node is still this replica's claim.
   */
  private async record(
    stored: StoredBatch,
    name: string,
    claimedAt: string,
    outcome: Partial<BatchNode>,
  ): Promise<StoredBatch> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.save(stored, this.withNode(stored.record, name, outcome));
      } catch (err) {
        const why = `restart batch ${stored.record.name}: recording node ${name} failed`;
        if (!isHttpStatus(err, 409) || attempt >= RECORD_ATTEMPTS) {
          this.log.warn(`${why}: ${(err as Error).message}`);
          return stored;
        }
        const fresh = await this.batches.read(stored.record.name).catch(() => undefined);
        const node = fresh?.record.nodes.find((n) => n.name === name);
        if (fresh === undefined || node?.phase !== 'Restarting' || node.claimedAt !== claimedAt) {
          this.log.warn(`${why}: another replica has taken the node on`);
          return fresh ?? stored;
        }
        stored = fresh;
      }
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
      // A cancelled restart did not restart its node: the batch counts it as failed (maxFailures).
      return { ...node, phase: op.phase === 'Succeeded' ? 'Succeeded' : 'Failed', message: op.message };
    });
    const halted = batch.halted ?? haltedBy(nodes, batch.maxFailures ?? 0);
    const phase = finalPhase(nodes, halted !== undefined) ?? 'Running';
    if (!changed && phase === batch.phase && halted === batch.halted) return batch;
    return {
      ...batch,
      nodes,
      phase,
      ...(halted === undefined ? {} : { halted }),
      message: batchMessage(nodes, batch.maxUnavailable, halted),
    };
  }

  /** A suspend or resume, told on each node it holds back or lets go (those still Pending). */
  async tellSuspension(batch: RestartBatchRecord): Promise<void> {
    const { suspension } = batch;
    if (!suspension) return;
    const [reason, what] = suspension.suspended
      ? ['RestartBatchSuspended', 'suspended: it starts no more nodes until resumed']
      : ['RestartBatchResumed', 'resumed: it starts nodes again'];
    const message = `restart batch ${batch.name} ${what} (by ${suspension.by})`;
    const pending = batch.nodes.filter((n) => n.phase === 'Pending');
    await Promise.all(pending.map((n) => this.events.record(n.name, 'Normal', reason, message)));
  }

  /** A Warning Event on each failed node of a batch that has just halted, where `kubectl describe node` shows it. */
  private async tellHalted(batch: RestartBatchRecord): Promise<void> {
    const failed = batch.nodes.filter((n) => n.phase === 'Failed');
    const message = `restart batch ${batch.name} ${batch.halted}`;
    await Promise.all(
      failed.map((n) => this.events.record(n.name, 'Warning', 'RestartBatchHalted', message)),
    );
  }

  private withNode(batch: RestartBatchRecord, name: string, change: Partial<BatchNode>): RestartBatchRecord {
    const nodes = batch.nodes.map((n) => (n.name === name ? { ...n, ...change } : n));
    return { ...batch, nodes, message: batchMessage(nodes, batch.maxUnavailable, batch.halted) };
  }

  private save(stored: StoredBatch, batch: RestartBatchRecord): Promise<StoredBatch> {
    return this.batches.replace({ ...batch, updatedAt: rfc3339(Date.now()) }, stored.resourceVersion);
  }
}
