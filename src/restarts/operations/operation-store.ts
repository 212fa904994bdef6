// Restart operations on Leases, one per node: creating the Lease is the lock (etcd lets exactly one
// replica create it), replacing it with its resourceVersion is how a finished or expired one is taken
// over or moved to its next phase. Reads come from a watch of those Leases, never a round trip.
import { Injectable } from '@nestjs/common';
import type { V1Lease } from '@kubernetes/client-node';
import { StatusError, conflict } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { Leases, isHttpStatus } from '../cluster/leases.js';
import { LeaseRecords } from './lease-records.js';
import { liveHold, withHold, type PowerHold } from './power-hold.js';
import {
  LEASE_LABELS,
  LEASE_SELECTOR,
  NODE_ANNOTATION,
  isRunning,
  leaseName,
  operationFromLease,
  operationLease,
  type RestartOperation,
} from './restart-operation.js';

export interface StoredOperation {
  op: RestartOperation;
  resourceVersion: string;
}

/** A new operation as `begin` recorded it, and the finished one it replaced, if any. */
export interface BegunOperation extends StoredOperation {
  previous?: RestartOperation;
}

@Injectable()
export class OperationStore extends LeaseRecords<RestartOperation> {
  private readonly group: string;

  constructor(leases: Leases, options: ServerOptions) {
    super('restart operation leases', leases, LEASE_SELECTOR, operationFromLease);
    this.group = options.apiGroup;
  }

  /** The latest operation of a node, as last seen by the watch. */
  latest(node: string): RestartOperation | undefined {
    return this.recordNamed(leaseName(node))?.record;
  }

  /** Every recorded operation as last seen by the watch (finished ones too, until a new one replaces them). */
  all(): StoredOperation[] {
    return this.allRecords().map(({ record, resourceVersion }) => ({ op: record, resourceVersion }));
  }

  /** The operation in progress on the node, read from kube-apiserver (a lock decision needs the truth). */
  async running(node: string): Promise<StoredOperation | undefined> {
    const stored = await this.read(node);
    return stored && isRunning(stored.op) ? stored : undefined;
  }

  /**
   * Records a new operation as the node's one, or throws a 409 naming the operation in progress. Two
   * requests racing for one node, on any replicas, cannot both get here: one create or replace wins. Returns the
   * finished operation it replaced too, so that `withdraw` can put it back.
   */
  async begin(op: RestartOperation): Promise<BegunOperation> {
    try {
      return this.stored(await this.leases.create(this.lease(op)))!;
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
    }
    const lease = await this.leases.read(leaseName(op.node));
    const current = lease && this.stored(lease);
    if (current && isRunning(current.op)) throw this.conflictError(op.node, current.op);
    const hold = liveHold(lease);
    if (hold) throw this.heldError(op.node, hold);
    try {
      // A Lease deleted since the create failed is created again: an unconditional replace could overwrite a
      // Lease another replica creates meanwhile.
      const begun = lease
        ? await this.replace(op, lease.metadata!.resourceVersion)
        : this.stored(await this.leases.create(this.lease(op)))!;
      return { ...begun, previous: current?.op };
    } catch (err) {
      if (!isHttpStatus(err, 409) && !isHttpStatus(err, 404)) throw err;
      const winner = await this.read(op.node);
      throw this.conflictError(op.node, winner?.op);
    }
  }

  /**
   * Holds the node for a power action (power-hold.ts), or throws the 409 naming the restart or power action that
   * holds it. Written with the Lease's resourceVersion (or as its create), so it races a restart's begin fairly.
   */
  async hold(node: string, hold: PowerHold): Promise<void> {
    const lease = await this.leases.read(leaseName(node));
    const current = lease && this.stored(lease);
    if (current && isRunning(current.op)) throw this.conflictError(node, current.op);
    const other = liveHold(lease);
    if (other) throw this.heldError(node, other);
    try {
      if (lease) await this.leases.replace(withHold(lease, hold));
      else await this.leases.create(withHold(this.emptyLease(node), hold));
    } catch (err) {
      if (!isHttpStatus(err, 409) && !isHttpStatus(err, 404)) throw err;
      throw this.conflictError(node, undefined);
    }
  }

  /** Ends a power action's hold, if it is still the Lease's; a Lease that holds no restart record goes. */
  async release(node: string, holdID: string): Promise<void> {
    const lease = await this.leases.read(leaseName(node));
    if (!lease || liveHold(lease, 0)?.id !== holdID) return;
    if (this.stored(lease)) await this.leases.replace(withHold(lease, undefined));
    else await this.leases.delete(leaseName(node), lease.metadata!.resourceVersion!);
  }

  /**
   * Takes back an operation that was never started (over a budget): the node's record is again the one before it,
   * or none, so a refusal leaves no trace. Written with the resourceVersion `begin` got; nothing else can have
   * written it since, as the operation holds the node.
   */
  async withdraw({ op, resourceVersion, previous }: BegunOperation): Promise<void> {
    if (previous) await this.replace(previous, resourceVersion);
    else await this.leases.delete(leaseName(op.node), resourceVersion);
  }

  /** Writes the operation's next state; a 409 means another replica moved it first. */
  async replace(op: RestartOperation, resourceVersion?: string): Promise<StoredOperation> {
    return this.stored(await this.leases.replace(this.lease(op, resourceVersion)))!;
  }

  /** The node's latest operation as kube-apiserver has it now. */
  async read(node: string): Promise<StoredOperation | undefined> {
    const lease = await this.leases.read(leaseName(node));
    return lease && this.stored(lease);
  }

  /** The restart record on the Lease; undefined when it holds none (only a power action's hold). */
  private stored(lease: V1Lease): StoredOperation | undefined {
    const op = operationFromLease(lease);
    return op && { op, resourceVersion: lease.metadata!.resourceVersion! };
  }

  private emptyLease(node: string): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: leaseName(node),
        namespace: this.namespace,
        labels: LEASE_LABELS,
        annotations: { [NODE_ANNOTATION]: node },
      },
    };
  }

  private lease(op: RestartOperation, resourceVersion?: string): V1Lease {
    return operationLease(op, this.namespace, resourceVersion);
  }

  /** The 409 for a node a power action holds. */
  heldError(node: string, hold: PowerHold): StatusError {
    const what = `${hold.action.toLowerCase()} ${hold.id} (requested by ${hold.requestedBy} at ${hold.startedAt}) is in progress`;
    return new StatusError(conflict({ group: this.group, resource: 'nodes', name: node }, what));
  }

  /** The 409 for a node that is already restarting. */
  conflictError(node: string, running: RestartOperation | undefined): StatusError {
    const what = running
      ? `restart ${running.id} (${running.phase}, requested by ${running.requestedBy} at ${running.startedAt}) is in progress`
      : 'another restart started at the same moment';
    return new StatusError(conflict({ group: this.group, resource: 'nodes', name: node }, what));
  }
}
