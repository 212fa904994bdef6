import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { HealthService } from '../health/health.service.js';
import { BatchRunner } from './batches/batch-runner.js';
import { BatchStore } from './batches/batch-store.js';
import { RestartBatchController } from './batches/restart-batch.controller.js';
import { RestartBatchService } from './batches/restart-batch.service.js';
import { NodeDrain } from './drain/node-drain.js';
import { ApiLeases, Leases } from './cluster/leases.js';
import { ApiNodeEvents, NodeEvents } from './cluster/node-events.js';
import { ApiNodeGateway, NodeGateway } from './cluster/node-gateway.js';
import { ApiPodGateway, PodGateway } from './cluster/pod-gateway.js';
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
    // Every Kubernetes write of the feature goes through these (tests give in-memory ones).
    { provide: Leases, useClass: ApiLeases },
    { provide: NodeGateway, useClass: ApiNodeGateway },
    { provide: PodGateway, useClass: ApiPodGateway },
    { provide: NodeEvents, useClass: ApiNodeEvents },
    OperationStore,
    RestartBudget,
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
  exports: [
    OperationStore,
    NodeEvents,
    NodeGateway,
    RestartProtections,
    NodeWorkloads,
    Leases,
    RestartService,
  ],
})
export class RestartsModule {
  constructor(store: OperationStore, health: HealthService) {
    health.addReadinessCheck('restart-operations', () =>
      store.synced ? undefined : 'the restart operation Leases have not been listed yet',
    );
  }
}
