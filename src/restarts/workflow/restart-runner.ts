// The steps of a restart that act on the cluster or the cloud — cordon, evict, reboot, uncordon. Each step's
// outcome is written to the operation's Lease (with its resourceVersion, so two replicas cannot both take it)
// and told as an Event before the next step, so any replica can carry on where another stopped.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isCloudError } from '../../cloud/contract/error.js';
import { CloudRegistry } from '../../cloud/registry/cloud-registry.js';
import type { CloudProvider, CloudTarget, RebootResult } from '../../cloud/contract/provider.js';
import { ServerOptions } from '../../config/server-options.js';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { NodeEvents, type EventType } from '../cluster/node-events.js';
import { NodeGateway } from '../cluster/node-gateway.js';
import { OperationStore, type StoredOperation } from '../operations/operation-store.js';
import { rfc3339, type RestartOperation } from '../operations/restart-operation.js';
import { describeDrain } from '../drain/drain-pods.js';
import { NodeDrain } from '../drain/node-drain.js';
import { RESTART_ANNOTATION, restartMark } from '../operations/restart-annotation.js';
import { actionTarget } from '../../nodes/node-target.js';
import { isHttpStatus } from '../cluster/leases.js';

type Next = Partial<RestartOperation> & Pick<RestartOperation, 'phase' | 'message'>;

/** Phases before the cloud was asked: failing in them restarted nothing, so a cordon we set is lifted. */
const BEFORE_REBOOT = new Set<RestartOperation['phase']>(['Accepted', 'Cordoned', 'Draining']);

@Injectable()
export class RestartRunner {
  private readonly log = new Logger(RestartRunner.name);

  constructor(
    private readonly store: OperationStore,
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly clouds: CloudRegistry,
    private readonly nodeDrain: NodeDrain,
    private readonly events: NodeEvents,
    private readonly options: ServerOptions,
    private readonly nodeWrites: NodeGateway,
  ) {}

  /** Writes the operation's next state, then tells it (log and Event). A 409 means another replica moved first. */
  async move(
    stored: StoredOperation,
    next: Next,
    type?: EventType,
    reason?: string,
  ): Promise<StoredOperation> {
    const op: RestartOperation = { ...stored.op, ...next, updatedAt: rfc3339(Date.now()) };
    const saved = await this.store.replace(op, stored.resourceVersion);
    this.log.log({ event: `restart.${op.phase}`, node: op.node, operation: op.id }, op.message);
    await this.nodeWrites
      .annotate(op.node, { [RESTART_ANNOTATION]: JSON.stringify(restartMark(op)) })
      .catch((err: Error) =>
        this.log.warn(`marking restart ${op.id} on node ${op.node} failed: ${err.message}`),
      );
    const eventType = type ?? (op.phase === 'Failed' ? 'Warning' : 'Normal');
    await this.events.record(
      op.node,
      eventType,
      reason ?? `Restart${op.phase}`,
      `${op.message} (restart ${op.id})`,
    );
    return saved;
  }

  /**
   * Ends the operation. One that restarted nothing lifts the cordon it set; `restartedNothing` is false once
   * the cloud may have acted, as the reboot may then have happened: the cordon stays, and the message says why.
   */
  async fail(
    stored: StoredOperation,
    message: string,
    {
      reason,
      restartedNothing = BEFORE_REBOOT.has(stored.op.phase) && !stored.op.sentAt,
      cancelled = false,
    }: { reason?: string; restartedNothing?: boolean; cancelled?: boolean } = {},
  ): Promise<StoredOperation> {
    const { op } = stored;
    let text = message;
    if (op.cordoned && restartedNothing && (await this.nodeDrain.uncordon(op.node, op.id))) {
      text += `; node ${op.node} uncordoned`;
    } else if (op.cordoned && !restartedNothing) {
      text +=
        `; node ${op.node} stays cordoned, as the cloud may have rebooted it: once instance ${op.instanceID} ` +
        `is checked, uncordon it (kubectl uncordon ${op.node})`;
    }
    if (cancelled) return this.move(stored, { phase: 'Cancelled', message: text }, 'Normal', reason);
    return this.move(stored, { phase: 'Failed', message: text }, 'Warning', reason);
  }

  /**
   * One step of a drained restart: cordon (from Accepted), then evict. Once no pod is left — or the drain ran
   * out of time and onTimeout is Proceed — the cloud is asked to reboot.
   */
  async drain(stored: StoredOperation): Promise<StoredOperation> {
    const node = stored.op.node;
    if (stored.op.phase === 'Accepted') {
      const cordoned = await this.nodeDrain.cordon(node, stored.op.id);
      const message = cordoned
        ? `node ${node} cordoned`
        : `node ${node} was unschedulable already; it is left so afterwards`;
      stored = await this.move(stored, { phase: 'Cordoned', cordoned, message });
    }
    const { op } = stored;
    const drain = op.drain!;
    if (op.rebootingSince) return stored;
    const progress = await this.nodeDrain.evict(node, { gracePeriodSeconds: drain.gracePeriodSeconds });
    if (progress.left.length === 0) return this.rebootDrained(stored, `node ${node} drained`);
    const state = describeDrain(progress);
    if (Date.now() > Date.parse(drain.deadline)) {
      const why = `draining node ${node} did not finish within ${drain.timeoutSeconds}s: ${state}`;
      if (drain.onTimeout === 'Proceed') {
        return this.rebootDrained(stored, `${why}; rebooting anyway (onTimeout: Proceed)`);
      }
      return this.fail(stored, `${why}; nothing was restarted (onTimeout: Fail)`);
    }
    const message = `draining node ${node}: ${state}`;
    if (op.phase === 'Draining' && op.message === message) return stored;
    return this.move(
      stored,
      { phase: 'Draining', message },
      progress.blocked.length > 0 ? 'Warning' : 'Normal',
    );
  }

  /** Claims the reboot on the Lease first: of all replicas draining this node, only the one that wrote it asks. */
  private async rebootDrained(stored: StoredOperation, why: string): Promise<StoredOperation> {
    const claimed = await this.move(stored, {
      phase: 'Draining',
      rebootingSince: rfc3339(Date.now()),
      message: `${why}; asking the cloud to reboot instance ${stored.op.instanceID}`,
    });
    const node = this.nodes.get(stored.op.node);
    if (!node)
      return this.fail(
        claimed,
        `node ${stored.op.node} was deleted before its reboot; nothing was restarted`,
      );
    let target: CloudTarget;
    try {
      target = await actionTarget(node, this.options.apiGroup, this.clouds);
    } catch (err) {
      return this.fail(claimed, `node ${stored.op.node} cannot be rebooted: ${(err as Error).message}`);
    }
    return this.reboot(claimed, target);
  }

  /**
   * Asks the cloud once. When the reboot's turn at the cloud has come, `sentAt` is written with the operation's
   * resourceVersion: a cancel while it waited wins, and the cloud is then not asked. Accepted: RebootRequested with
   * the cloud's request id, and the node has --restart-timeout from now to come back. Failed: the operation fails,
   * and the CloudError is thrown. The cordon the drain set is lifted only when the cloud certainly did not act (it
   * refused, or was never asked); when the reboot may have happened it stays, and the operation says why.
   */
  async reboot(stored: StoredOperation, target: CloudTarget): Promise<StoredOperation> {
    const { op } = stored;
    let current = stored;
    const beforeSending = async () => {
      const now = rfc3339(Date.now());
      current = await this.store.replace(
        { ...current.op, sentAt: now, updatedAt: now },
        current.resourceVersion,
      );
    };
    let result: RebootResult;
    try {
      result = await this.callCloud(this.clouds.get(target.cloud), target, op, false, beforeSending);
    } catch (err) {
      if (!current.op.sentAt && (isHttpStatus(err, 409) || isHttpStatus(err, 404))) {
        // Cancelled, or ended by another replica, while waiting for its turn: the cloud was not asked.
        return (await this.store.read(op.node)) ?? current;
      }
      const restartedNothing = !current.op.sentAt || (isCloudError(err) && err.outcome === 'not-acted');
      await this.fail(current, (err as Error).message, { restartedNothing }).catch((e: Error) =>
        this.log.error(`recording the end of restart ${op.id} failed: ${e.message}`),
      );
      throw err;
    }
    const id = result.requestId === undefined ? '' : ` (request id ${result.requestId})`;
    const now = Date.now();
    return this.move(current, {
      phase: 'RebootRequested',
      mode: result.mode,
      requestID: result.requestId,
      rebootingSince: undefined,
      deadline: rfc3339(now + this.options.restartTimeout),
      message: `${target.cloud} accepted the ${result.mode} reboot of instance ${target.instanceId} in ${target.region}${id}; waiting for the node to come back Ready with a new bootID`,
    });
  }

  /** Once the node is back: lifts the cordon this restart set, then ends the operation. */
  async uncordon(stored: StoredOperation): Promise<StoredOperation> {
    const { op } = stored;
    if (op.phase !== 'Ready') return this.move(stored, { phase: 'Succeeded', message: op.message });
    const lifted = await this.nodeDrain.uncordon(op.node, op.id);
    const message = lifted
      ? `node ${op.node} uncordoned`
      : `node ${op.node} was uncordoned or cordoned again by someone else meanwhile; left as it is`;
    const uncordoned = await this.move(stored, { phase: 'Uncordoned', message });
    return this.move(uncordoned, { phase: 'Succeeded', message: `${op.message}; ${message}` });
  }

  /** One reboot or preflight, logged with who asked and why; failures are CloudErrors. */
  async callCloud(
    provider: CloudProvider,
    target: CloudTarget,
    op: RestartOperation,
    dryRun: boolean,
    beforeSending?: () => Promise<void>,
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
      const result = await provider.reboot(target, { mode: op.mode, dryRun, beforeSending });
      this.log.log(
        { ...logged, event: 'restart.cloud-accepted', requestId: result.requestId, appliedMode: result.mode },
        `${dryRun ? 'dry run' : 'reboot'} of node ${op.node} accepted`,
      );
      return result;
    } catch (err) {
      if (isCloudError(err)) {
        const failure = {
          event: 'restart.cloud-failed',
          kind: err.kind,
          outcome: err.outcome,
          code: err.code,
          requestId: err.requestId,
        };
        this.log.warn({ ...logged, ...failure }, `restart of node ${op.node} failed: ${err.message}`);
      }
      throw err;
    }
  }
}
