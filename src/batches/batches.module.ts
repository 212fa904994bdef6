import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { NodesModule } from '../nodes/nodes.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { BatchRunner } from './batch-runner.js';
import { BatchStore } from './batch-store.js';
import { RestartBatchController } from './restart-batch.controller.js';
import { RestartBatchService } from './restart-batch.service.js';

/** RestartBatch: many nodes' restarts, at most maxUnavailable at a time, through one request. */
@Module({
  imports: [AuthModule, NodesModule, OperationsModule],
  controllers: [RestartBatchController],
  providers: [BatchStore, BatchRunner, RestartBatchService],
})
export class BatchesModule {}
