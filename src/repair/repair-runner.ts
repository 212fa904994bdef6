// The repair loop, on the leading replica only: each pass plans every policy from the Node cache and the restart
// operations (repair-decisions.ts), writes the status with the repairs it claims (with its resourceVersion, so a
// repair is claimed once), then asks for each claimed node's restart through RestartService — the path a
// `kubectl restart` takes: the node's operation Lease, budgets, protections, Events, verification — as the server's
// own identity, the policy named in the restart's reason, the Events and the logs.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { V1Node } from '@kubernetes/client-node';
import { matchesLabels, parseLabelSelector } from '../apiserver/selectors/label-selector.js';
import { StatusError } from '../apiserver/status.js';
import { saysOutcomeUnknown } from '../cloud/contract/error-status.js';
import { PassRunner, type ChangeSource } from '../common/repeating-pass.js';
import { NodeCache } from '../kube/node-cache.js';
import { isHttpStatus } from '../restarts/cluster/leases.js';
import { NodeEvents, type EventType } from '../restarts/cluster/node-events.js';
import type { NodeReader } from '../restarts/cluster/node-reader.js';
import { OperationStore } from '../restarts/operations/operation-store.js';
import { isRunning, rfc3339 } from '../restarts/operations/restart-operation.js';
import { RestartService } from '../restarts/request/restart.service.js';
import { RepairLeader } from './leader-election.js';
import type { NodeRepairEntry, NodeRepairPolicyRecord } from './node-repair-policy.js';
import { PolicyStore, type StoredPolicy } from './policy-store.js';
import {
  planRepairs,
  unclaimed,
  type NodeHealth,
  type OperationView,
  type Transition,
} from './repair-decisions.js';
import { RepairMetrics } from './repair-metrics.js';
import { ServerIdentity } from './server-identity.js';

const TICK_MS = 2000;
const RECORD_ATTEMPTS = 5;

/** How a node's restart request ended: its operation, or why the repair was not made. */
type Outcome = Pick<NodeRepairEntry, 'operationID' | 'message'> &
  Partial<Pick<NodeRepairEntry, 'phase' | 'reason'>>;

export function nodeHealth(node: V1Node, now: number): NodeHealth {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const changed = ready?.lastTransitionTime ?? node.metadata?.creationTimestamp;
  const since = changed === undefined ? now : new Date(changed).getTime();
  return {
    name: node.metadata!.name!,
    ready: ready?.status === 'True',
    since: Number.isNaN(since) ? now : since,
  };
}

const EVENTS: Partial<Record<Transition['phase'], { type: EventType; reason: string }>> = {
  GaveUp: { type: 'Warning', reason: 'NodeRepairGaveUp' },
  WouldRepair: { type: 'Normal', reason: 'NodeRepairDryRun' },
  Skipped: { type: 'Warning', reason: 'NodeRepairSkipped' },
};

@Injectable()
export class RepairRunner extends PassRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(RepairRunner.name);

  constructor(
    private readonly policies: PolicyStore,
    private readonly operations: OperationStore,
    private readonly restarts: RestartService,
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly events: NodeEvents,
    private readonly leader: RepairLeader,
    private readonly identity: ServerIdentity,
    private readonly metrics: RepairMetrics,
  ) {
    super(TICK_MS);
  }

  protected changeSources(): ChangeSource[] {
    return [this.policies, this.operations, this.nodes, this.leader];
  }

  protected async pass(): Promise<void> {
    if (!this.leader.isLeader()) return;
    if (!this.policies.synced || !this.operations.synced || !this.nodes.synced) return;
    for (const stored of this.policies.all()) {
      try {
        await this.run(stored);
      } catch (err) {
        if (!isHttpStatus(err, 409))
          this.log.warn(`node repair policy ${stored.record.name}: ${(err as Error).message}`);
      }
    }
  }

  private async run(stored: StoredPolicy): Promise<void> {
    const policy = stored.record;
    const now = Date.now();
    const selector = parseLabelSelector(policy.spec.nodeSelector);
    const nodes = this.nodes
      .list()
      .filter((node) => matchesLabels(selector, node.metadata?.labels))
      .map((node) => nodeHealth(node, now));
    const plan = planRepairs({
      spec: policy.spec,
      nodes,
      previous: policy.status,
      operationOf: (name) => this.operationOf(name),
      now,
    });
    if (JSON.stringify(plan.status) === JSON.stringify({ ...policy.status, updatedAt: undefined })) return;
    let saved = await this.save(stored, { ...policy, status: plan.status });
    plan.transitions.forEach((t) => this.tell(policy, t));
    for (const node of plan.repairs) {
      const claimedAt = saved.record.status.nodes.find((e) => e.name === node)?.claimedAt ?? '';
      saved = await this.record(saved, node, claimedAt, await this.repair(policy, node));
    }
  }

  private operationOf(node: string): OperationView | undefined {
    const op = this.operations.latest(node);
    return op && { ...op, running: isRunning(op) };
  }

  /** One node's restart, asked for as any other: a refusal leaves the node Skipped, its claim taken back. */
  private async repair(policy: NodeRepairPolicyRecord, node: string): Promise<Outcome> {
    const reason = `node repair policy ${policy.name}: NotReady for more than ${policy.spec.notReadyTimeout}`;
    try {
      const user = await this.identity.user();
      const answer = await this.restarts.restart(
        node,
        { ...policy.spec.options, reason, dryRun: false },
        user,
      );
      this.metrics.repair(policy.name, 'started');
      this.log.log(
        `node repair policy ${policy.name}: restarting node ${node} as ${user.name} (restart ${answer.status.operationID})`,
      );
      return {
        operationID: answer.status.operationID,
        message: `restart ${answer.status.operationID}: ${answer.status.message}`,
      };
    } catch (err) {
      const status = err instanceof StatusError ? err.status : undefined;
      const message = status ? `${status.code} ${status.reason}: ${status.message}` : (err as Error).message;
      if (saysOutcomeUnknown(status)) {
        // The cloud may have rebooted the node: the repair counts (maxRepairsPerHour) and ends as its failed
        // restart did, which is the node's latest; without it, the claim adopts it once the watch has it.
        this.log.warn(`node repair policy ${policy.name}: node ${node}: ${message}`);
        const failed = await this.operations.read(node).catch(() => undefined);
        return { operationID: failed?.op.id, message: `the cloud may have acted on the restart: ${message}` };
      }
      // Another action holds the node (409), a budget is full (429), the cloud or kube-apiserver failed (5xx, or no
      // Status at all): asked again a little later. Any other refusal (a protection's 403) waits for the next outage.
      const code = status?.code ?? 500;
      const busy = code === 409 || code === 429 || code >= 500;
      const skipped: Outcome = {
        phase: 'Skipped',
        reason: busy ? 'Busy' : 'Refused',
        message: `not repaired: ${message}`,
      };
      this.log.warn(`node repair policy ${policy.name}: node ${node} ${skipped.message}`);
      this.tell(policy, { node, phase: 'Skipped', reason: skipped.reason, message: skipped.message });
      return skipped;
    }
  }

  /**
   * Writes how a node's restart request ended. A 409 means the status moved meanwhile (the policy was edited): the
   * write is made again on the policy as it is now, as long as the node is still this claim's.
   */
  private async record(
    stored: StoredPolicy,
    node: string,
    claimedAt: string,
    outcome: Outcome,
  ): Promise<StoredPolicy> {
    for (let attempt = 1; ; attempt++) {
      const entries = stored.record.status.nodes;
      const entry = entries.find((e) => e.name === node);
      if (entry?.phase !== 'Repairing' || entry.claimedAt !== claimedAt) return stored;
      const rest = unclaimed(entry);
      let next: NodeRepairEntry = { ...rest, ...outcome };
      if (outcome.phase === 'Skipped')
        next = { ...next, repairs: rest.repairs.filter((t) => t !== claimedAt) };
      // A restart that failed without its operation id keeps the claim, which adopts the operation once seen.
      else if (outcome.operationID === undefined) next = { ...entry, ...outcome };
      const nodes = entries.map((e) => (e.name === node ? next : e));
      try {
        return await this.save(stored, { ...stored.record, status: { ...stored.record.status, nodes } });
      } catch (err) {
        if (!isHttpStatus(err, 409) || attempt >= RECORD_ATTEMPTS) {
          this.log.warn(
            `node repair policy ${stored.record.name}: recording node ${node}: ${(err as Error).message}`,
          );
          return stored;
        }
        const fresh = await this.policies.read(stored.record.name);
        if (!fresh) return stored;
        stored = fresh;
      }
    }
  }

  /** An Event on the Node for a decision not to repair, and the metrics of every transition. */
  private tell(policy: NodeRepairPolicyRecord, t: Transition): void {
    if (t.phase === 'Repaired') this.metrics.repair(policy.name, 'succeeded');
    if (t.phase === 'Failed') this.metrics.repair(policy.name, 'failed');
    if (t.phase === 'GaveUp') this.metrics.skip(policy.name, 'BackOff');
    if (t.phase === 'WouldRepair') this.metrics.skip(policy.name, 'DryRun');
    if (t.phase === 'Skipped' && t.reason) this.metrics.skip(policy.name, t.reason);
    const event = EVENTS[t.phase];
    if (!event) return;
    this.log.log(`node repair policy ${policy.name}: node ${t.node}: ${t.message}`);
    void this.events.record(
      t.node,
      event.type,
      event.reason,
      `node repair policy ${policy.name}: ${t.message}`,
    );
  }

  private save(stored: StoredPolicy, policy: NodeRepairPolicyRecord): Promise<StoredPolicy> {
    const status = { ...policy.status, updatedAt: rfc3339(Date.now()) };
    return this.policies.replace({ ...policy, status }, stored.resourceVersion);
  }
}
