// POST nodes/NAME/stop and nodes/NAME/start: Node from the cache → the protections a restart has (for a stop also
// the node's workloads) → the VM behind it → one cloud call, made holding the node's Lease: refused (409) while a
// restart or another power action of the node runs, and holding off both until it is answered. The outcome is an
// Event on the Node, a log line, and, once the cloud accepted, the Node's power-action annotation (power-annotation.ts).
// A dry run writes nothing.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CloudError, isCloudError } from '../../cloud/contract/error.js';
import type { CloudProvider, CloudTarget, PowerResult } from '../../cloud/contract/provider.js';
import { CloudRegistry } from '../../cloud/registry/cloud-registry.js';
import { cloudNamed } from '../../cloud/registry/clouds.js';
import { cloudErrorStatus } from '../../cloud/contract/error-status.js';
import type { UserInfo } from '../../apiserver/request-context.js';
import { StatusError, notFound } from '../../apiserver/status.js';
import { ServerOptions } from '../../config/server-options.js';
import { NodeCache } from '../../kube/node-cache.js';
import { NodeEvents } from '../../restarts/cluster/node-events.js';
import { NodeGateway } from '../../restarts/cluster/node-gateway.js';
import { OperationStore } from '../../restarts/operations/operation-store.js';
import { rfc3339 } from '../../restarts/operations/restart-operation.js';
import { HOLD_MS } from '../../restarts/operations/power-hold.js';
import { NodeWorkloads } from '../../restarts/request/node-workloads.js';
import { RestartProtections } from '../../restarts/request/restart-protections.js';
import { actionTarget } from '../node-target.js';
import { nodePowerAction, powerVerbs, type NodePowerAction } from './node-power-action.js';
import { POWER_ANNOTATION, type PowerMark } from './power-annotation.js';
import type { PowerOptions } from './power-options.js';

@Injectable()
export class PowerService {
  private readonly log = new Logger(PowerService.name);

  constructor(
    private readonly cache: NodeCache,
    private readonly clouds: CloudRegistry,
    private readonly store: OperationStore,
    private readonly events: NodeEvents,
    private readonly protections: RestartProtections,
    private readonly workloads: NodeWorkloads,
    private readonly options: ServerOptions,
    private readonly nodeWrites: NodeGateway,
  ) {}

  async act(nodeName: string, options: PowerOptions, user: UserInfo): Promise<NodePowerAction> {
    const node = this.cache.get(nodeName);
    if (!node) throw new StatusError(notFound(this.resource(nodeName)));
    // A hard stop is a stop: it needs create on nodes/stop, not on nodes/reset.
    await this.protections.check(node, user, { allowControlPlane: options.allowControlPlane });
    // Blocking pods, and this server's only ready replica, hold a stop as they hold a restart.
    if (options.action === 'Stop') await this.workloads.check(nodeName);
    const target = await actionTarget(node, this.options.apiGroup, this.clouds);
    const result = await this.heldFor(nodeName, options, user.name, () =>
      this.callCloud(target, options, user.name),
    );
    const at = rfc3339(Date.now());
    const answer = nodePowerAction(this.options.apiGroup, target, options, user.name, result, at);
    if (options.dryRun) return answer;
    const { action, mode } = options;
    await this.mark(nodeName, {
      action,
      mode,
      requestID: result.requestId,
      requestedBy: user.name,
      time: at,
    });
    await this.events.record(
      nodeName,
      'Normal',
      `${action}Requested`,
      `${powerVerbs(action).noun} requested by ${this.who(user.name, options)}: ${answer.status.message}`,
    );
    return answer;
  }

  /**
   * Runs the cloud call holding the node's Lease (power-hold.ts), so no restart or other power action starts on the
   * node meanwhile, on any replica; a dry run only checks that nothing holds it.
   */
  private async heldFor<T>(
    node: string,
    options: PowerOptions,
    user: string,
    call: () => Promise<T>,
  ): Promise<T> {
    if (options.dryRun) {
      const running = await this.store.running(node);
      if (running) throw this.store.conflictError(node, running.op);
      return call();
    }
    const now = Date.now();
    const hold = {
      id: randomUUID(),
      action: options.action,
      requestedBy: user,
      startedAt: rfc3339(now),
      expiresAt: rfc3339(now + HOLD_MS),
    };
    await this.store.hold(node, hold);
    try {
      return await call();
    } finally {
      await this.store
        .release(node, hold.id)
        .catch((err: Error) =>
          this.log.warn(`releasing node ${node} after its ${hold.action}: ${err.message}`),
        );
    }
  }

  /** One stop or start, or its dry run; a cloud failure becomes the Status to answer, an Event and a log line. */
  private async callCloud(target: CloudTarget, options: PowerOptions, user: string): Promise<PowerResult> {
    const { action, mode, reason, dryRun } = options;
    const noun = powerVerbs(action).noun;
    const logged = {
      node: target.nodeName,
      action,
      cloud: target.cloud,
      region: target.region,
      mode,
      reason,
    };
    const fields = { ...logged, instanceId: target.instanceId, user, dryRun };
    try {
      const result = await this.send(this.clouds.get(target.cloud), target, options);
      this.log.log(
        { ...fields, event: 'power.cloud-accepted', requestId: result.requestId },
        `${dryRun ? 'dry run of the ' : ''}${noun} of node ${target.nodeName} accepted`,
      );
      return result;
    } catch (err) {
      if (!isCloudError(err)) throw err;
      const { kind, code, requestId } = err;
      this.log.warn(
        { ...fields, event: 'power.cloud-failed', kind, code, requestId },
        `${noun} of node ${target.nodeName} failed: ${err.message}`,
      );
      if (!dryRun) {
        const why = `${noun} requested by ${this.who(user, options)} failed: ${err.message}`;
        await this.events.record(target.nodeName, 'Warning', `${action}Failed`, why);
      }
      const prefix = `${noun} of node ${target.nodeName}: `;
      throw new StatusError(cloudErrorStatus(err, this.resource(target.nodeName), prefix));
    }
  }

  private send(provider: CloudProvider, target: CloudTarget, options: PowerOptions): Promise<PowerResult> {
    const { dryRun } = options;
    if (options.action === 'Stop' && provider.stop)
      return provider.stop(target, { mode: options.mode!, dryRun });
    if (options.action === 'Start' && provider.start) return provider.start(target, { dryRun });
    throw new CloudError({
      kind: 'Unsupported',
      cloud: provider.cloud,
      field: 'spec.providerID',
      message: `this server cannot ${powerVerbs(options.action).noun} ${cloudNamed(provider.cloud).displayName} instances`,
    });
  }

  /** Best effort, as Events are: the cloud has acted, so a failed write is logged and the request still succeeds. */
  private async mark(nodeName: string, mark: PowerMark): Promise<void> {
    try {
      await this.nodeWrites.annotate(nodeName, { [POWER_ANNOTATION]: JSON.stringify(mark) });
    } catch (err) {
      this.log.warn(
        `recording the ${mark.action} of node ${nodeName} on it failed: ${(err as Error).message}`,
      );
    }
  }

  private who(user: string, options: PowerOptions): string {
    return `${user}${options.reason ? ` (reason: ${options.reason})` : ''}`;
  }

  private resource(name: string) {
    return { group: this.options.apiGroup, resource: 'nodes', name };
  }
}
