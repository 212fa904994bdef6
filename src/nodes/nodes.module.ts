import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { NodeCache } from '../kube/node-cache.js';
import { OperationsModule } from '../operations/operations.module.js';
import { NodesController } from './nodes.controller.js';
import { NodesService } from './nodes.service.js';
import { PowerController } from './power/power.controller.js';
import { PowerService } from './power/power.service.js';
import { ResetController } from './restart/reset.controller.js';
import { RestartController } from './restart/restart.controller.js';
import { RestartService } from './restart/restart.service.js';
import { RestartProtections } from './restart/restart-protections.js';
import { RestartFollower } from './restart/restart-follower.js';
import { RestartRunner } from './restart/restart-runner.js';
import { NodeDrain } from './restart/drain/node-drain.js';
import { NodeWorkloads } from './restart/node-workloads.js';
import { AuthModule } from '../auth/auth.module.js';

/** Our `nodes` resource and its action subresources. */
@Module({
  imports: [OperationsModule, AuthModule],
  // RestartController last: its catch-all answers 404 for any subresource the others do not serve.
  controllers: [NodesController, ResetController, PowerController, RestartController],
  providers: [
    NodesService,
    RestartService,
    RestartProtections,
    RestartRunner,
    RestartFollower,
    NodeDrain,
    NodeWorkloads,
    PowerService,
  ],
  exports: [NodesService, RestartService],
})
export class NodesModule {
  constructor(cache: NodeCache, health: HealthService) {
    health.addReadinessCheck('node-cache', () =>
      cache.synced ? undefined : 'the Node cache has not synced yet',
    );
  }
}
