// Wires the modules; nothing else. A request goes: AuthenticationGuard → AuthorizationGuard → a read route or a
// controller → service → cloud provider, and every error leaves through StatusFilter as a metav1.Status.
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ServerConfigModule } from './config/config.module.js';
import type { ServerOptions } from './config/server-options.js';
import { LoggingModule } from './logging/logging.module.js';
import { KubeModule } from './kube/kube.module.js';
import { HealthModule } from './health/health.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AuthenticationGuard } from './auth/authentication.guard.js';
import { AuthorizationGuard } from './auth/authorization.guard.js';
import { ApiDiscoveryModule } from './api-discovery/api-discovery.module.js';
import { DISCOVERY_ROUTES } from './api-discovery/discovery-routes.js';
import { ReadRoutesModule } from './apiserver/read-routes.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { NODE_ROUTES } from './nodes/node-reads.js';
import { RESTART_BATCH_ROUTES } from './restarts/batches/batch-reads.js';
import { RESTART_ROUTES } from './restarts/request/restart-reads.js';
import { RestartsModule } from './restarts/restarts.module.js';
import { RepairModule } from './repair/repair.module.js';
import { NODE_REPAIR_POLICY_ROUTES } from './repair/policy-reads.js';
import { CloudModule } from './cloud/cloud.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { StatusFilter } from './apiserver/status.filter.js';

@Module({})
export class AppModule {
  static forRoot(options: ServerOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServerConfigModule.forRoot(options),
        LoggingModule,
        KubeModule,
        HealthModule,
        MetricsModule,
        CloudModule.forRoot(),
        AuthModule,
        // The reads (GETs) of every resource, in one table; before the modules that answer other methods.
        ReadRoutesModule.forRoutes([
          ...DISCOVERY_ROUTES,
          ...NODE_ROUTES,
          ...RESTART_ROUTES,
          ...RESTART_BATCH_ROUTES,
          ...NODE_REPAIR_POLICY_ROUTES,
        ]),
        ApiDiscoveryModule,
        // Before NodesModule, whose catch-all for unknown node subresources must be the last route.
        RestartsModule,
        RepairModule,
        NodesModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        { provide: APP_GUARD, useExisting: AuthorizationGuard },
        { provide: APP_FILTER, useClass: StatusFilter },
      ],
    };
  }
}
