import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { HealthService } from '../health/health.service.js';
import { BatchRunner } from './batches/batch-runner.js';
import { BatchStore } from './batches/batch-store.js';
import { RestartBatchController } from './batches/restart-batch.controller.js';
import { RestartBatchService } from './batches/restart-batch.service.js';
import { NodeDrain } from './drain/node-drain.js';
import { NodeEvents } from './operations/node-events.js';
import { OperationStore } from './operations/operation-store.js';
import { RestartBudget } from './operations/restart-budget.js';
import { NodeWorkloads } from './request/node-workloads.js';
import { ResetController } from './request/reset.controller.js';
import { RestartController } from './request/restart.controller.js';
import { RestartProtections } from './request/restart-protections.js';
import { RestartService } from './request/restart.service.js';
import { RestartFollower } from './workflow/restart-follower.js';
import { RestartRunner } from './workflow/restart-runner.js';

/**
 * Restarts: the nodes/restart and nodes/reset subresources and restartbatches, the operations recorded on Leases
 * with their budget, and the workflow that drains, reboots and follows each one. The power actions (src/nodes/power)
 * share its protections, operation lock and Events.
 */
@Module({
  imports: [AuthModule],
  controllers: [RestartController, ResetController, RestartBatchController],
  providers: [
    OperationStore,
    RestartBudget,
    NodeEvents,
    RestartService,
    RestartProtections,
    NodeWorkloads,
    RestartRunner,
    RestartFollower,
    NodeDrain,
    BatchStore,
    BatchRunner,
    RestartBatchService,
  ],
  exports: [OperationStore, NodeEvents, RestartProtections, NodeWorkloads],
})
export class RestartsModule {
  constructor(store: OperationStore, health: HealthService) {
    health.addReadinessCheck('restart-operations', () =>
      store.synced ? undefined : 'the restart operation Leases have not been listed yet',
    );
  }
}
