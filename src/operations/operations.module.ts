import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { NodeEvents } from './node-events.js';
import { OperationStore } from './operation-store.js';
import { RestartBudget } from './restart-budget.js';

/** Restarts as durable operations: their Lease records, the concurrency budget, and Events on the Node. */
@Module({
  providers: [OperationStore, RestartBudget, NodeEvents],
  exports: [OperationStore, RestartBudget, NodeEvents],
})
export class OperationsModule {
  constructor(store: OperationStore, health: HealthService) {
    health.addReadinessCheck('restart-operations', () =>
      store.synced ? undefined : 'the restart operation Leases have not been listed yet',
    );
  }
}
