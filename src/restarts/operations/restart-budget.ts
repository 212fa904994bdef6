// At most --max-concurrent-restarts restarts at once, across every replica, and at most
// --max-concurrent-restarts-per-pool within a node pool: each running operation holds one of that many slot Leases
// of each limit. A slot whose holder has finished (or expired) is free again by itself, so
// nothing has to release it — a replica that dies mid-restart cannot leak one.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { V1Lease } from '@kubernetes/client-node';
import { StatusError, failureStatus } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { Leases, isHttpStatus } from '../cluster/leases.js';
import { OperationStore } from './operation-store.js';
import { NODE_ANNOTATION, POOL_ANNOTATION, isRunning, type RestartOperation } from './restart-operation.js';

const SLOT_LABELS = {
  'app.kubernetes.io/managed-by': 'k8s-cloud-node-manager',
  'app.kubernetes.io/component': 'restart-slot',
};

/** One limit: how many slots, their Lease names, and which running restarts it counts. */
interface Limit {
  max: number;
  slotPrefix: string;
  counts: (op: RestartOperation) => boolean;
  /** Completes "too many restarts in progress…". */
  scope: string;
  flag: string;
}

/** The 429 of a budget with no slot left. */
export const isOverBudget = (err: unknown): boolean =>
  err instanceof StatusError &&
  err.status.code === 429 &&
  err.status.details?.causes?.[0]?.reason === 'RestartBudget';

@Injectable()
export class RestartBudget {
  private readonly cluster: Limit;
  private readonly perPool: number;
  private readonly poolLabel: string;

  constructor(
    private readonly leases: Leases,
    private readonly store: OperationStore,
    options: ServerOptions,
  ) {
    this.cluster = {
      max: options.maxConcurrentRestarts,
      slotPrefix: 'restart-slot',
      counts: () => true,
      scope: '',
      flag: '--max-concurrent-restarts',
    };
    this.perPool = options.poolLabel ? options.maxConcurrentRestartsPerPool : 0;
    this.poolLabel = options.poolLabel;
  }

  /** The limits an operation falls under: the cluster's, and its pool's. */
  private limits(op: RestartOperation): Limit[] {
    const pool = op.pool;
    if (pool === undefined || this.perPool === 0) return [this.cluster];
    const hash = createHash('sha256').update(pool).digest('hex').slice(0, 16);
    return [
      this.cluster,
      {
        max: this.perPool,
        slotPrefix: `restart-pool-${hash}`,
        counts: (other) => other.pool === pool,
        scope: ` in pool ${pool} (label ${this.poolLabel})`,
        flag: '--max-concurrent-restarts-per-pool',
      },
    ];
  }

  /** For a dry run: would a restart be refused now? Read from the watch, so it can only err on refusing. */
  check(op: RestartOperation): void {
    for (const limit of this.limits(op)) {
      if (limit.max === 0) continue;
      const running = this.runningUnder(limit, op);
      if (running.length >= limit.max) throw this.overBudget(limit, running);
    }
  }

  /**
   * Takes a slot of every limit the operation falls under, or throws the 429 with the restarts that hold them.
   * Slots already taken are freed by the operation failing, as every slot is.
   */
  async acquire(op: RestartOperation): Promise<void> {
    for (const limit of this.limits(op)) {
      if (limit.max > 0 && !(await this.take(limit, op))) {
        throw this.overBudget(limit, this.runningUnder(limit, op));
      }
    }
  }

  private async take(limit: Limit, op: RestartOperation): Promise<boolean> {
    for (let i = 0; i < limit.max; i++) {
      const name = `${limit.slotPrefix}-${i}`;
      const body = this.slot(name, op);
      try {
        await this.leases.create(body);
        return true;
      } catch (err) {
        if (!isHttpStatus(err, 409)) throw err;
      }
      const current = await this.leases.read(name);
      if (current && (await this.holds(current))) continue;
      try {
        // A slot deleted meanwhile is created, not replaced unconditionally over another replica's new one.
        if (current) {
          const { resourceVersion, uid } = current.metadata!;
          await this.leases.replace({ ...body, metadata: { ...body.metadata, resourceVersion, uid } });
        } else await this.leases.create(body);
        return true;
      } catch (err) {
        if (!isHttpStatus(err, 409) && !isHttpStatus(err, 404)) throw err;
      }
    }
    return false;
  }

  private runningUnder(limit: Limit, op: RestartOperation): RestartOperation[] {
    return this.store
      .all()
      .map((stored) => stored.op)
      .filter((other) => isRunning(other) && other.id !== op.id && limit.counts(other));
  }

  /**
   * Whether the slot's holder is still the running operation of its node, read from kube-apiserver: a
   * holder's node Lease is written before its slot, so a fresh holder is never mistaken for a finished one.
   */
  private async holds(slot: V1Lease): Promise<boolean> {
    const node = slot.metadata?.annotations?.[NODE_ANNOTATION];
    const holder = node === undefined ? undefined : await this.store.running(node);
    return holder !== undefined && holder.op.id === slot.spec?.holderIdentity;
  }

  private slot(name: string, op: RestartOperation): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: this.leases.namespace,
        labels: SLOT_LABELS,
        annotations: {
          [NODE_ANNOTATION]: op.node,
          ...(op.pool === undefined ? {} : { [POOL_ANNOTATION]: op.pool }),
        },
      },
      spec: { holderIdentity: op.id },
    };
  }

  private overBudget(limit: Limit, running: RestartOperation[]): StatusError {
    const nodes = running.map((op) => op.node).sort();
    const message =
      `too many restarts in progress${limit.scope}: at most ${limit.max} at once (${limit.flag})` +
      (nodes.length ? `; restarting now: ${nodes.join(', ')}` : '');
    return new StatusError(
      failureStatus(429, 'TooManyRequests', message, { causes: [{ reason: 'RestartBudget', message }] }),
    );
  }
}
