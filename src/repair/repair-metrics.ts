// Repairs as the leading replica decided them: started, and how they ended (succeeded, failed), by policy; and the
// nodes past their notReadyTimeout that were not repaired, by reason (MaxUnhealthy, BackOff, DryRun, Busy, Refused).
// Only the leader counts: sum over replicas.
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics-registry.js';

export type RepairResult = 'started' | 'succeeded' | 'failed';
export type RepairSkip = 'MaxUnhealthy' | 'BackOff' | 'DryRun' | 'Busy' | 'Refused';

@Injectable()
export class RepairMetrics {
  private readonly repairs: Counter<'policy' | 'result'>;
  private readonly skipped: Counter<'policy' | 'reason'>;

  constructor(metrics: MetricsRegistry) {
    this.repairs = new Counter({
      name: 'cloud_node_manager_node_repairs_total',
      help: 'Node repairs by policy and result: started, succeeded, failed (counted by the leading replica).',
      labelNames: ['policy', 'result'],
      registers: [metrics.registry],
    });
    this.skipped = new Counter({
      name: 'cloud_node_manager_node_repairs_skipped_total',
      help: 'Nodes NotReady past their policy notReadyTimeout that were not repaired, by policy and reason.',
      labelNames: ['policy', 'reason'],
      registers: [metrics.registry],
    });
  }

  repair(policy: string, result: RepairResult): void {
    this.repairs.inc({ policy, result });
  }

  skip(policy: string, reason: RepairSkip): void {
    this.skipped.inc({ policy, reason });
  }
}
