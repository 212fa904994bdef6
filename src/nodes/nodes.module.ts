import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service.js';
import { NodeCache } from '../kube/node-cache.js';
import { NodesController } from './nodes.controller.js';
import { NodesService } from './nodes.service.js';

@Module({ controllers: [NodesController], providers: [NodesService], exports: [NodesService] })
export class NodesModule {
  constructor(cache: NodeCache, health: HealthService) {
    health.addReadinessCheck('node-cache', () =>
      cache.synced ? undefined : 'the Node cache has not synced yet',
    );
  }
}
