// Prometheus metrics on /metrics: requests (recorded by the request log's hook, see server.ts), the
// authentication and authorization caches, cloud API calls (CLOUD_CALL_OBSERVER, given to the providers by
// CloudModule), and restart operations. Global, so CloudModule can inject the observer.
import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CLOUD_CALL_OBSERVER } from '../cloud/contract/call.js';
import { RestartsModule } from '../restarts/restarts.module.js';
import { AuthMetrics } from './auth-metrics.js';
import { cloudCallMetrics } from './cloud-call-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';
import { OperationMetrics } from './operation-metrics.js';
import { RequestMetrics } from './request-metrics.js';

@Global()
@Module({
  imports: [AuthModule, RestartsModule],
  controllers: [MetricsController],
  providers: [
    MetricsRegistry,
    RequestMetrics,
    AuthMetrics,
    OperationMetrics,
    {
      provide: CLOUD_CALL_OBSERVER,
      inject: [MetricsRegistry],
      useFactory: (metrics: MetricsRegistry) => cloudCallMetrics(metrics.registry),
    },
  ],
  exports: [MetricsRegistry, RequestMetrics, CLOUD_CALL_OBSERVER],
})
export class MetricsModule {}
