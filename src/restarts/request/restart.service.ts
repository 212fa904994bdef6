// POST nodes/NAME/restart: Node from the cache → the VM behind it → its cloud's provider → one reboot (or,
// with drain, a cordon and evictions first), recorded as an operation that holds the node (one restart at a
// time) and a budget slot until the node is back. A dry run checks all of it and writes nothing. GET reads the
// node's latest operation.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isCloudError } from '../../cloud/contract/error.js';
import { CloudRegistry } from '../../cloud/registry/cloud-registry.js';
import {
  DEFAULT_REBOOT_MODE,
  type CloudProvider,
  type CloudTarget,
  type DryRunCheck,
} from '../../cloud/contract/provider.js';
import { cloudErrorStatus } from '../../cloud/contract/error-status.js';
import { StatusError, conflict, failureStatus, notFound } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { NodeEvents } from '../cluster/node-events.js';
import { isHttpStatus } from '../cluster/leases.js';
import { OperationStore, type StoredOperation } from '../operations/operation-store.js';
import { RestartBudget, isOverBudget } from '../operations/restart-budget.js';
import { cancellable, rfc3339, type RestartOperation } from '../operations/restart-operation.js';
import { describeDrain } from '../drain/drain-pods.js';
import { NodeDrain } from '../drain/node-drain.js';
import { nodeRestart, type NodeRestart } from './node-restart.js';
import type { RestartOptions } from './restart-options.js';
import { RestartProtections } from './restart-protections.js';
import { NodeWorkloads } from './node-workloads.js';
import { RestartRunner } from '../workflow/restart-runner.js';
import { actionTarget } from '../../nodes/node-target.js';
import type { UserInfo } from '../../apiserver/request-context.js';

@Injectable()
export class RestartService {
  private readonly log = new Logger(RestartService.name);

  constructor(
    @Inject(NodeCache) private readonly cache: NodeReader,
    private readonly clouds: CloudRegistry,
    private readonly store: OperationStore,
    private readonly budget: RestartBudget,
    private readonly events: NodeEvents,
    private readonly protections: RestartProtections,
    private readonly runner: RestartRunner,
    private readonly nodeDrain: NodeDrain,
    private readonly workloads: NodeWorkloads,
    private readonly options: ServerOptions,
  ) {}

  async restart(nodeName: string, options: RestartOptions, user: UserInfo): Promise<NodeRestart> {
    const node = this.cache.get(nodeName);
    if (!node) throw new StatusError(notFound(this.resource(nodeName)));
    await this.refusedIf(nodeName, user.name, options, async () => {
      await this.protections.check(node, user, options);
      await this.workloads.check(nodeName);
    });
    const target = await actionTarget(node, this.options.apiGroup, this.clouds);
    const provider = await this.cloudCall(async () => this.clouds.get(target.cloud), nodeName);
    const pool = this.options.poolLabel ? node.metadata?.labels?.[this.options.poolLabel] : undefined;
    const op = {
      ...this.newOperation(target, options, user.name, node.status?.nodeInfo?.bootID),
      ...(pool === undefined ? {} : { pool }),
    };
    return options.dryRun ? this.dryRun(provider, target, op) : this.reboot(target, op);
  }

  /** A protection that refuses the restart is a decision worth an Event on the Node (dry runs are only asked). */
  private async refusedIf(
    node: string,
    user: string,
    options: RestartOptions,
    checks: () => Promise<void>,
  ): Promise<void> {
    try {
      await checks();
    } catch (err) {
      if (err instanceof StatusError && !options.dryRun) {
        const message = `restart requested by ${user} refused (${err.status.code} ${err.status.reason}): ${err.message}`;
        await this.events.record(node, 'Warning', 'RestartRefused', message);
      }
      throw err;
    }
  }

  /** The node's latest restart, running or finished. */
  get group(): string {
    return this.options.apiGroup;
  }

  status(nodeName: string): NodeRestart {
    const op = this.store.latest(nodeName);
    if (op) return nodeRestart(this.options.apiGroup, op);
    if (!this.cache.get(nodeName)) throw new StatusError(notFound(this.resource(nodeName)));
    const message = `no restart of node ${nodeName} is recorded`;
    throw new StatusError(failureStatus(404, 'NotFound', message, this.details(nodeName)));
  }

  /**
   * Cancels the node's running restart while the cloud has not been asked to reboot (a drained restart during its
   * drain): it ends Cancelled, and the cordon it set is lifted — only its own. The write carries the
   * operation's resourceVersion, as the claim of the reboot does, so exactly one of them wins.
   */
  async cancel(nodeName: string, user: UserInfo): Promise<NodeRestart> {
    const running = await this.store.running(nodeName);
    if (!running) {
      if (!this.cache.get(nodeName)) throw new StatusError(notFound(this.resource(nodeName)));
      const message = `no restart of node ${nodeName} is running`;
      throw new StatusError(failureStatus(404, 'NotFound', message, this.details(nodeName)));
    }
    const { op } = running;
    if (!cancellable(op)) throw this.tooLateError(op);
    try {
      const cancelled = await this.runner.fail(running, `cancelled by ${user.name} before its reboot`, {
        reason: 'RestartCancelled',
        cancelled: true,
      });
      return nodeRestart(this.options.apiGroup, cancelled.op);
    } catch (err) {
      if (!isHttpStatus(err, 409)) throw err;
      const now = await this.store.running(nodeName);
      throw now ? this.tooLateError(now.op) : err;
    }
  }

  private tooLateError(op: RestartOperation): StatusError {
    const what = `restart ${op.id} (${op.phase}) has asked the cloud to reboot instance ${op.instanceID}; it can no longer be cancelled`;
    return new StatusError(conflict(this.resource(op.node), what));
  }

  private async dryRun(
    provider: CloudProvider,
    target: CloudTarget,
    op: RestartOperation,
  ): Promise<NodeRestart> {
    const running = await this.store.running(op.node);
    if (running) throw this.store.conflictError(op.node, running.op);
    this.budget.check(op);
    const drainCheck = op.drain ? await this.drainCheck(op) : [];
    const result = await this.cloudCall(() => this.runner.callCloud(provider, target, op, true), op.node);
    const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
    const message = `dry run: node ${op.node} can be restarted; instance ${target.instanceId} in ${target.region} passed every check${id}; nothing was restarted`;
    const checks = [...drainCheck, ...(result.dryRunReport?.checks ?? [])];
    return nodeRestart(
      this.options.apiGroup,
      { ...op, mode: result.mode, requestID: result.requestId },
      { checks, message },
    );
  }

  /** What a drain would do now, asked of the Eviction API in dry-run mode. */
  private async drainCheck(op: RestartOperation): Promise<DryRunCheck[]> {
    const progress = await this.nodeDrain.evict(op.node, {
      gracePeriodSeconds: op.drain?.gracePeriodSeconds,
      dryRun: true,
    });
    const detail = progress.left.length === 0 ? 'no pod to evict' : `would evict ${describeDrain(progress)}`;
    return [{ name: 'Drain', detail }];
  }

  private async reboot(target: CloudTarget, op: RestartOperation): Promise<NodeRestart> {
    const begun = await this.store.begin(op);
    const stored: StoredOperation = { op: begun.op, resourceVersion: begun.resourceVersion };
    try {
      await this.budget.acquire(op);
    } catch (err) {
      // Back-pressure is no failure: a 429 takes the operation back, leaving the node's last restart as it was.
      const settled = isOverBudget(err)
        ? this.store.withdraw(begun)
        : this.runner.fail(stored, `not started: ${(err as Error).message}`, { reason: 'RestartRejected' });
      await settled.catch((e: Error) =>
        this.log.error(`recording the end of restart ${op.id} failed: ${e.message}`),
      );
      throw err;
    }
    const who = `${op.requestedBy}${op.reason ? ` (reason: ${op.reason})` : ''}`;
    const drain = op.drain
      ? `, after draining it (timeout ${op.drain.timeoutSeconds}s, on timeout ${op.drain.onTimeout})`
      : '';
    await this.events.record(
      op.node,
      'Normal',
      'RestartRequested',
      `restart requested by ${who}, mode ${op.mode}${drain} (restart ${op.id})`,
    );
    const next = op.drain ? this.firstDrainStep(stored) : this.runner.reboot(stored, target);
    return nodeRestart(this.options.apiGroup, (await this.cloudCall(() => next, op.node)).op);
  }

  /**
   * Cordons and asks for the first evictions before answering, so the answer already says what holds the
   * drain (a PodDisruptionBudget, say). Anything but the cloud refusing is left to the follower to retry.
   */
  private async firstDrainStep(stored: StoredOperation): Promise<StoredOperation> {
    try {
      return await this.runner.drain(stored);
    } catch (err) {
      if (isCloudError(err)) throw err;
      if (!isHttpStatus(err, 409))
        this.log.warn(`draining node ${stored.op.node}: ${(err as Error).message}`);
      return (await this.store.running(stored.op.node)) ?? stored;
    }
  }

  /** Runs a cloud call; its CloudError becomes the Status to answer, with the node named. */
  private async cloudCall<T>(call: () => Promise<T>, nodeName: string): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!isCloudError(err)) throw err;
      throw new StatusError(cloudErrorStatus(err, this.resource(nodeName), `restart of node ${nodeName}: `));
    }
  }

  private newOperation(
    target: CloudTarget,
    options: RestartOptions,
    user: string,
    bootID?: string,
  ): RestartOperation {
    const now = Date.now();
    // A drained restart holds the node through its drain, and then --restart-timeout from its reboot.
    const drainMs = (options.drain?.timeoutSeconds ?? 0) * 1000;
    const drain = options.drain && { ...options.drain, deadline: rfc3339(now + drainMs) };
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
      deadline: rfc3339(now + drainMs + this.options.restartTimeout),
      message: 'accepted; the cloud has not been asked yet',
      ...(drain ? { drain } : {}),
    };
  }

  private resource(name: string) {
    return { group: this.options.apiGroup, resource: 'nodes', name };
  }

  private details(name: string) {
    return { name, group: this.options.apiGroup, kind: 'nodes' };
  }
}
