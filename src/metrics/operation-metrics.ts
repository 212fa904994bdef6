// Restart operations as the Lease watch shows them: how many are in each phase (computed at scrape time), and
// how many finished, by result, while this replica watched. Every replica watches every operation, so do not
// sum the finished counter over replicas.
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { OperationStore } from '../restarts/operations/operation-store.js';
import { isFinished, type OperationPhase } from '../restarts/operations/restart-operation.js';
import { MetricsRegistry } from './metrics-registry.js';

// Always exported, at 0 when no operation is in them, so a phase's series does not vanish. A record, so that a
// new phase does not compile until it is listed here.
const PHASES = Object.keys({
  Accepted: 0,
  Cordoned: 0,
  Draining: 0,
  RebootRequested: 0,
  NotReady: 0,
  Ready: 0,
  Uncordoned: 0,
  Succeeded: 0,
  Failed: 0,
  Cancelled: 0,
} satisfies Record<OperationPhase, 0>);

@Injectable()
export class OperationMetrics {
  private readonly finished: Counter<'result'>;
  /**
   * The finished operation last counted, by node, so each is counted once — also when a restart refused over a
   * budget was written for a moment and the node's previous record put back.
   */
  private readonly counted = new Map<string, string>();

  constructor(
    metrics: MetricsRegistry,
    private readonly store: OperationStore,
  ) {
    new Gauge({
      name: 'cloud_node_manager_restart_operations',
      help: "Restart operations by phase: each node's latest, finished ones included until the next replaces them.",
      labelNames: ['phase'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const phase of PHASES) this.set({ phase }, 0);
        for (const { op } of store.all()) this.inc({ phase: op.phase });
      },
    });
    this.finished = new Counter({
      name: 'cloud_node_manager_restart_operations_finished_total',
      help: 'Restart operations seen finishing by this replica, by result (Succeeded, Failed, Cancelled).',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
    store.onChange(() => this.countFinished());
  }

  /** Operations already finished when the watch first listed them are not counted: they finished before us. */
  private countFinished(): void {
    for (const { op } of this.store.all()) {
      if (!isFinished(op) || this.counted.get(op.node) === op.id) continue;
      if (this.store.synced) this.finished.inc({ result: op.phase });
      this.counted.set(op.node, op.id);
    }
  }
}
