import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { HealthService } from '../health/health.service.js';
import { RestartsModule } from '../restarts/restarts.module.js';
import { RepairLeader } from './leader-election.js';
import { NodeRepairPolicyController } from './node-repair-policy.controller.js';
import { NodeRepairPolicyService } from './node-repair-policy.service.js';
import { PolicyStore } from './policy-store.js';
import { RepairMetrics } from './repair-metrics.js';
import { RepairRunner } from './repair-runner.js';
import { ServerIdentity } from './server-identity.js';

/**
 * Auto-repair: noderepairpolicies, and the loop that restarts the NotReady nodes they select — on the replica that
 * holds the leader Lease, each repair through RestartsModule's RestartService as the server's own identity.
 */
@Module({
  imports: [AuthModule, RestartsModule],
  controllers: [NodeRepairPolicyController],
  providers: [
    PolicyStore,
    RepairLeader,
    ServerIdentity,
    RepairMetrics,
    RepairRunner,
    NodeRepairPolicyService,
  ],
})
export class RepairModule {
  constructor(store: PolicyStore, health: HealthService) {
    health.addReadinessCheck('node-repair-policies', () =>
      store.synced ? undefined : 'the node repair policy Leases have not been listed yet',
    );
  }
}
