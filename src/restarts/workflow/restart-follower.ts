// Moves every unfinished restart on to its next phase, on whichever replica gets there first: each step is
// written with the Lease's resourceVersion, so it (and its Event) happens once. Node changes drive the phases
// after the reboot; a timer drives drains and deadlines, which pass even when nothing changes.
import { PassRunner, type ChangeSource } from '../../common/repeating-pass.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { NodeCache } from '../../kube/node-cache.js';
import type { NodeReader } from '../cluster/node-reader.js';
import { isHttpStatus } from '../cluster/leases.js';
import { OperationStore, type StoredOperation } from '../operations/operation-store.js';
import { isFinished } from '../operations/restart-operation.js';
import { nextTransition } from './restart-progress.js';
import { RestartRunner } from './restart-runner.js';

const TICK_MS = 2000;
/** How often a drain lists and evicts again, however often Nodes change. */
const DRAIN_STEP_MS = 2000;
/** A drained restart's first step is the request's own; another replica takes it over only after this. */
const REQUEST_GRACE_MS = 10_000;

@Injectable()
export class RestartFollower extends PassRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(RestartFollower.name);
  /** When each operation last drained here, by operation id. */
  private readonly drainedAt = new Map<string, number>();

  constructor(
    private readonly store: OperationStore,
    @Inject(NodeCache) private readonly nodes: NodeReader,
    private readonly runner: RestartRunner,
  ) {
    super(TICK_MS);
  }

  protected changeSources(): ChangeSource[] {
    return [this.nodes, this.store];
  }

  protected async pass(): Promise<void> {
    if (!this.store.synced || !this.nodes.synced) return;
    const ids = new Set<string>();
    for (const stored of this.store.all()) {
      ids.add(stored.op.id);
      if (isFinished(stored.op)) continue;
      try {
        await this.follow(stored, Date.now());
      } catch (err) {
        if (!isHttpStatus(err, 409)) this.log.warn(`restart ${stored.op.id}: ${(err as Error).message}`);
      }
    }
    for (const id of this.drainedAt.keys()) if (!ids.has(id)) this.drainedAt.delete(id);
  }

  private async follow(stored: StoredOperation, now: number): Promise<unknown> {
    const { op } = stored;
    if (op.phase === 'Ready' || op.phase === 'Uncordoned') return this.runner.uncordon(stored);
    if (op.drain && this.drainDue(stored, now)) {
      this.drainedAt.set(op.id, now);
      return this.runner.drain(stored);
    }
    const transition = nextTransition(op, this.nodes.get(op.node), now);
    if (!transition) return undefined;
    return transition.phase === 'Failed'
      ? this.runner.fail(stored, transition.message)
      : this.runner.move(stored, transition);
  }

  private drainDue({ op }: StoredOperation, now: number): boolean {
    if (now > Date.parse(op.deadline) || op.rebootingSince) return false;
    if (op.phase === 'Accepted') return now - Date.parse(op.updatedAt) > REQUEST_GRACE_MS;
    if (op.phase !== 'Cordoned' && op.phase !== 'Draining') return false;
    // Written a moment ago: someone (the request itself, or another replica) is stepping it right now.
    if (now - Date.parse(op.updatedAt) < DRAIN_STEP_MS) return false;
    return now - (this.drainedAt.get(op.id) ?? 0) >= DRAIN_STEP_MS;
  }
}
