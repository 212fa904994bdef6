// Moves every unfinished restart on to its next phase as its Node changes, on whichever replica sees the
// change first: the phase is written with the Lease's resourceVersion, so each transition (and its
// Event) happens once. Also runs on a timer, so deadlines pass even when nothing changes.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { NodeCache } from '../kube/node-cache.js';
import { NodeEvents } from './node-events.js';
import { advance, nextTransition } from './operation-progress.js';
import { OperationStore, isHttpStatus } from './operation-store.js';
import { isFinished } from './restart-operation.js';

const TICK_MS = 2000;

@Injectable()
export class OperationFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(OperationFollower.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;

  constructor(
    private readonly store: OperationStore,
    private readonly nodes: NodeCache,
    private readonly events: NodeEvents,
  ) {}

  onApplicationBootstrap(): void {
    const kick = () => void this.kick();
    this.nodes.onChange(kick);
    this.store.onChange(kick);
    this.timer = setInterval(kick, TICK_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** Runs a pass, or one more after the current one: changes during a pass are never missed. */
  kick(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = this.followAll().finally(() => {
      this.pass = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.pass;
  }

  private async followAll(): Promise<void> {
    if (!this.store.synced || !this.nodes.synced) return;
    for (const { op, resourceVersion } of this.store.all()) {
      if (isFinished(op)) continue;
      const now = Date.now();
      const transition = nextTransition(op, this.nodes.get(op.node), now);
      if (!transition) continue;
      try {
        await this.store.replace(advance(op, transition, now), resourceVersion);
      } catch (err) {
        if (!isHttpStatus(err, 409)) this.log.warn(`updating restart ${op.id}: ${(err as Error).message}`);
        continue;
      }
      this.log.log(
        { event: `restart.${transition.phase}`, node: op.node, operation: op.id },
        transition.message,
      );
      const type = transition.phase === 'Failed' ? 'Warning' : 'Normal';
      await this.events.record(
        op.node,
        type,
        `Restart${transition.phase}`,
        `${transition.message} (restart ${op.id})`,
      );
    }
  }
}
