// At most --max-concurrent-restarts restarts at once, across every replica: each running operation holds
// one of that many slot Leases. A slot whose holder has finished (or expired) is free again by itself, so
// nothing has to release it — a replica that dies mid-restart cannot leak one.
import { Inject, Injectable } from '@nestjs/common';
import type { CoordinationV1Api, V1Lease } from '@kubernetes/client-node';
import { StatusError, failureStatus } from '../common/status.js';
import { ServerOptions } from '../config/server-options.js';
import { COORDINATION_API } from '../kube/kube.tokens.js';
import { OperationStore, isHttpStatus } from './operation-store.js';
import { NODE_ANNOTATION, isRunning, type RestartOperation } from './restart-operation.js';

const SLOT_LABELS = {
  'app.kubernetes.io/managed-by': 'k8s-cloud-node-manager',
  'app.kubernetes.io/component': 'restart-slot',
};

@Injectable()
export class RestartBudget {
  private readonly max: number;

  constructor(
    @Inject(COORDINATION_API) private readonly api: CoordinationV1Api,
    private readonly store: OperationStore,
    options: ServerOptions,
  ) {
    this.max = options.maxConcurrentRestarts;
  }

  /** For a dry run: would a restart be refused now? Read from the watch, so it can only err on refusing. */
  check(): void {
    if (this.max === 0) return;
    const running = this.store.all().filter(({ op }) => isRunning(op));
    if (running.length >= this.max) throw this.overBudget(running.map(({ op }) => op));
  }

  /** Takes a slot for the operation, or throws the 429 with the restarts that hold them. */
  async acquire(op: RestartOperation): Promise<void> {
    if (this.max === 0) return;
    const namespace = this.store.namespace;
    for (let i = 0; i < this.max; i++) {
      const name = `restart-slot-${i}`;
      const body = this.slot(name, op);
      try {
        await this.api.createNamespacedLease({ namespace, body });
        return;
      } catch (err) {
        if (!isHttpStatus(err, 409)) throw err;
      }
      const current = await this.api.readNamespacedLease({ name, namespace });
      if (await this.holds(current)) continue;
      try {
        body.metadata!.resourceVersion = current.metadata!.resourceVersion;
        await this.api.replaceNamespacedLease({ name, namespace, body });
        return;
      } catch (err) {
        if (!isHttpStatus(err, 409)) throw err;
      }
    }
    const running = this.store.all().filter(({ op: other }) => isRunning(other) && other.id !== op.id);
    throw this.overBudget(running.map(({ op: other }) => other));
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
        namespace: this.store.namespace,
        labels: SLOT_LABELS,
        annotations: { [NODE_ANNOTATION]: op.node },
      },
      spec: { holderIdentity: op.id },
    };
  }

  private overBudget(running: RestartOperation[]): StatusError {
    const nodes = running.map((op) => op.node).sort();
    const message =
      `too many restarts in progress: at most ${this.max} at once (--max-concurrent-restarts)` +
      (nodes.length ? `; restarting now: ${nodes.join(', ')}` : '');
    return new StatusError(
      failureStatus(429, 'TooManyRequests', message, { causes: [{ reason: 'RestartBudget', message }] }),
    );
  }
}
