import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { NodeCache } from '../kube/node-cache.js';
import { RestartsModule } from '../restarts/restarts.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { NodesController } from './nodes.controller.js';
import { NodesService } from './nodes.service.js';
import { PowerController } from './power/power.controller.js';
import { PowerService } from './power/power.service.js';
import { UnknownSubresourceController } from './unknown-subresource.controller.js';

/** Our `nodes` resource and its power subresources (stop, start); restart and reset are src/restarts'. */
@Module({
  imports: [RestartsModule, AuthModule],
  // UnknownSubresourceController last: its catch-all answers 404 for any subresource the others do not serve.
  controllers: [NodesController, PowerController, UnknownSubresourceController],
  providers: [NodesService, PowerService],
  exports: [NodesService],
})
export class NodesModule {
  constructor(cache: NodeCache, health: HealthService) {
    health.addReadinessCheck('node-cache', () =>
      cache.synced ? undefined : 'the Node cache has not synced yet',
    );
  }
}
