// POST nodes/NAME/restart: Node from the cache → the VM behind it → its cloud's provider → one reboot,
// recorded as an operation that holds the node (one restart at a time) and a budget slot until the node is
// back. A dry run checks all of it and writes nothing. GET reads the node's latest operation.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { isCloudError, type CloudError } from '../../cloud/cloud-error.js';
import { CloudRegistry } from '../../cloud/cloud-registry.js';
import { DEFAULT_REBOOT_MODE, type CloudProvider, type CloudTarget } from '../../cloud/cloud-provider.js';
import { cloudErrorStatus } from '../../common/cloud-error-status.js';
import { StatusError, failureStatus, notFound } from '../../common/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { NodeCache } from '../../kube/node-cache.js';
import { NodeEvents } from '../../operations/node-events.js';
import { OperationStore } from '../../operations/operation-store.js';
import { RestartBudget } from '../../operations/restart-budget.js';
import { rfc3339, type RestartOperation } from '../../operations/restart-operation.js';
import { nodeRestart, type NodeRestart } from './node-restart.js';
import type { RestartOptions } from './restart-options.js';
import { RestartProtections } from './restart-protections.js';
import { restartTarget } from './restart-target.js';
import type { UserInfo } from '../../common/request-context.js';

@Injectable()
export class RestartService {
  private readonly log = new Logger(RestartService.name);

  constructor(
    private readonly cache: NodeCache,
    private readonly clouds: CloudRegistry,
    private readonly store: OperationStore,
    private readonly budget: RestartBudget,
    private readonly events: NodeEvents,
    private readonly protections: RestartProtections,
    private readonly options: ServerOptions,
  ) {}

  async restart(nodeName: string, options: RestartOptions, user: UserInfo): Promise<NodeRestart> {
    const node = this.cache.get(nodeName);
    if (!node) throw new StatusError(notFound(this.resource(nodeName)));
    await this.protections.check(node, user, options.allowControlPlane);
    const target = await restartTarget(node, this.options.apiGroup, this.clouds);
    const provider = this.clouds.get(target.cloud);
    const op = this.newOperation(target, options, user.name, node.status?.nodeInfo?.bootID);
    return options.dryRun ? this.dryRun(provider, target, op) : this.reboot(provider, target, op);
  }

  /** The node's latest restart, running or finished. */
  status(nodeName: string): NodeRestart {
    const op = this.store.latest(nodeName);
    if (op) return nodeRestart(this.options.apiGroup, op);
    if (!this.cache.get(nodeName)) throw new StatusError(notFound(this.resource(nodeName)));
    const message = `no restart of node ${nodeName} is recorded`;
    throw new StatusError(failureStatus(404, 'NotFound', message, this.details(nodeName)));
  }

  private async dryRun(
    provider: CloudProvider,
    target: CloudTarget,
    op: RestartOperation,
  ): Promise<NodeRestart> {
    const running = await this.store.running(op.node);
    if (running) throw this.store.conflictError(op.node, running.op);
    this.budget.check();
    const result = await this.callCloud(provider, target, op, true);
    const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
    const message = `dry run: node ${op.node} can be restarted; instance ${target.instanceId} in ${target.region} passed every check${id}; nothing was restarted`;
    const checks = result.dryRunReport?.checks ?? [];
    return nodeRestart(
      this.options.apiGroup,
      { ...op, mode: result.mode, requestID: result.requestId },
      { checks, message },
    );
  }

  private async reboot(
    provider: CloudProvider,
    target: CloudTarget,
    op: RestartOperation,
  ): Promise<NodeRestart> {
    let stored = await this.store.begin(op);
    try {
      await this.budget.acquire(op);
    } catch (err) {
      await this.finish(
        op,
        stored.resourceVersion,
        `not started: ${(err as Error).message}`,
        'RestartRejected',
      );
      throw err;
    }
    const who = `${op.requestedBy}${op.reason ? ` (reason: ${op.reason})` : ''}`;
    await this.events.record(
      op.node,
      'Normal',
      'RestartRequested',
      `restart ${op.id} requested by ${who}, mode ${op.mode}`,
    );
    let result;
    try {
      result = await this.callCloud(provider, target, op, false);
    } catch (err) {
      await this.finish(op, stored.resourceVersion, (err as Error).message, 'RestartFailed');
      throw err;
    }
    const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
    const message = `${target.cloud} accepted the ${result.mode} reboot of instance ${target.instanceId} in ${target.region}${id}; waiting for the node to come back Ready with a new bootID`;
    const requested = {
      ...op,
      phase: 'RebootRequested' as const,
      mode: result.mode,
      requestID: result.requestId,
      message,
      updatedAt: rfc3339(Date.now()),
    };
    stored = await this.save(requested, stored.resourceVersion);
    await this.events.record(op.node, 'Normal', 'RestartRebootRequested', `restart ${op.id}: ${message}`);
    return nodeRestart(this.options.apiGroup, stored.op);
  }

  /** One reboot or preflight; a cloud failure becomes the Status to answer, with the node named. */
  private async callCloud(
    provider: CloudProvider,
    target: CloudTarget,
    op: RestartOperation,
    dryRun: boolean,
  ) {
    const logged = {
      node: op.node,
      operation: op.id,
      cloud: target.cloud,
      region: target.region,
      instanceId: target.instanceId,
      user: op.requestedBy,
      mode: op.mode,
      reason: op.reason,
      dryRun,
    };
    try {
      const result = await provider.reboot(target, { mode: op.mode, dryRun });
      this.log.log(
        { ...logged, event: 'restart.cloud-accepted', requestId: result.requestId, appliedMode: result.mode },
        `${dryRun ? 'dry run' : 'reboot'} of node ${op.node} accepted`,
      );
      return result;
    } catch (err) {
      if (!isCloudError(err)) throw err;
      this.log.warn(
        {
          ...logged,
          event: 'restart.cloud-failed',
          kind: err.kind,
          code: err.code,
          requestId: err.requestId,
        },
        `restart of node ${op.node} failed: ${err.message}`,
      );
      throw this.cloudFailure(err, op.node);
    }
  }

  private cloudFailure(err: CloudError, nodeName: string): StatusError {
    return new StatusError(cloudErrorStatus(err, this.resource(nodeName), `restart of node ${nodeName}: `));
  }

  /** Ends an operation that did not get to its reboot; the node is free for the next request. */
  private async finish(
    op: RestartOperation,
    resourceVersion: string,
    message: string,
    reason: string,
  ): Promise<void> {
    await this.save(
      { ...op, phase: 'Failed', message, updatedAt: rfc3339(Date.now()) },
      resourceVersion,
    ).catch((err: Error) => this.log.error(`recording the end of restart ${op.id} failed: ${err.message}`));
    await this.events.record(
      op.node,
      'Warning',
      reason,
      `restart ${op.id} requested by ${op.requestedBy}: ${message}`,
    );
  }

  /** The request path is the only writer of an Accepted operation, so its resourceVersion is current. */
  private save(op: RestartOperation, resourceVersion: string) {
    return this.store.replace(op, resourceVersion);
  }

  private newOperation(
    target: CloudTarget,
    options: RestartOptions,
    user: string,
    bootID?: string,
  ): RestartOperation {
    const now = Date.now();
    return {
      id: randomUUID(),
      node: target.nodeName,
      phase: 'Accepted',
      mode: options.mode ?? DEFAULT_REBOOT_MODE,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      requestedBy: user,
      cloud: target.cloud,
      region: target.region,
      ...(target.zone === undefined ? {} : { zone: target.zone }),
      instanceID: target.instanceId,
      ...(bootID ? { previousBootID: bootID } : {}),
      startedAt: rfc3339(now),
      updatedAt: rfc3339(now),
      deadline: rfc3339(now + this.options.restartTimeout),
      message: 'accepted; the cloud has not been asked yet',
    };
  }

  private resource(name: string) {
    return { group: this.options.apiGroup, resource: 'nodes', name };
  }

  private details(name: string) {
    return { name, group: this.options.apiGroup, kind: 'nodes' };
  }
}
