import { CloudError } from '../contract/error.js';
import {
  batchTarget,
  type CloudProvider,
  type CloudTarget,
  type RebootMode,
  type RebootResult,
} from '../contract/provider.js';
import { partsToRetry } from './batch-refusal.js';
import type { Budget, CallPacer } from './call-pacer.js';

export type BatchRebooter = CloudProvider & Required<Pick<CloudProvider, 'rebootMany'>>;

export interface CoalescerOptions {
  /** How long the first reboot of a group waits for others to join it. */
  windowMs: number;
  /** Most instances per call; a full group is sent at once. */
  maxBatch: number;
  /** The cloud's display name, for messages. */
  displayName: string;
}

interface Waiting {
  target: CloudTarget;
  budget: Budget;
  /** The caller's last word before its reboot is sent (RebootOptions.beforeSending); undefined once said. */
  beforeSending?: () => Promise<void>;
  resolve(result: RebootResult): void;
  reject(error: unknown): void;
}

interface Group {
  mode: RebootMode;
  waiting: Waiting[];
  timer: NodeJS.Timeout;
}

/**
 * Reboots of one cloud that arrive within a few milliseconds of each other, sent as one RebootInstances per region
 * and mode; every caller gets the call's request id. A batch the cloud refused because of some instances is sent
 * again without them (partsToRetry); a batch whose outcome is unknown fails every caller, and is never repeated.
 */
export class RebootCoalescer {
  readonly #groups = new Map<string, Group>();

  constructor(
    private readonly provider: BatchRebooter,
    private readonly pacer: CallPacer,
    private readonly options: CoalescerOptions,
  ) {}

  reboot(
    target: CloudTarget,
    mode: RebootMode,
    budget: Budget,
    beforeSending?: () => Promise<void>,
  ): Promise<RebootResult> {
    return new Promise((resolve, reject) => {
      const key = `${target.region}\0${mode}`;
      let group = this.#groups.get(key);
      if (group === undefined) {
        group = { mode, waiting: [], timer: setTimeout(() => this.#flush(key), this.options.windowMs) };
        this.#groups.set(key, group);
      }
      group.waiting.push({ target, budget, beforeSending, resolve, reject });
      if (group.waiting.length >= this.options.maxBatch) this.#flush(key);
    });
  }

  /** Fails the reboots still waiting to be sent; they were not. */
  close(): void {
    for (const group of this.#groups.values()) {
      clearTimeout(group.timer);
      for (const waiting of group.waiting) {
        waiting.reject(
          new CloudError({
            kind: 'Unavailable',
            cloud: this.provider.cloud,
            outcome: 'not-acted',
            message: `the reboot of ${waiting.target.instanceId} was not sent: the server is shutting down`,
          }),
        );
      }
    }
    this.#groups.clear();
  }

  #flush(key: string): void {
    const group = this.#groups.get(key);
    if (group === undefined) return;
    this.#groups.delete(key);
    clearTimeout(group.timer);
    void this.#send(group.waiting, group.mode);
  }

  /**
   * Settles every caller in `batch`; never rejects. Once the call's turn has come, the callers that no longer want
   * their reboot (beforeSending) are left out, unsent.
   */
  async #send(batch: Waiting[], mode: RebootMode): Promise<void> {
    let sent = batch;
    try {
      const result = await this.pacer.run(this.#call(batch), this.#budget(batch), async (signal) => {
        sent = await this.#stillWanted(batch);
        const targets = sent.map((w) => w.target);
        if (targets.length === 0) return undefined;
        return targets.length === 1
          ? this.provider.reboot(targets[0]!, { mode, dryRun: false, signal })
          : this.provider.rebootMany(targets, { mode, signal });
      });
      if (result !== undefined) for (const waiting of sent) waiting.resolve(result);
    } catch (error) {
      const parts = partsToRetry(sent, error);
      if (parts === undefined) for (const waiting of sent) waiting.reject(error);
      else await Promise.all(parts.map((part) => this.#send(part, mode)));
    }
  }

  /**
   * The callers whose beforeSending agreed, each asked once (a refused batch sent again in parts is not asked
   * again); the others fail with its error.
   */
  async #stillWanted(waiting: Waiting[]): Promise<Waiting[]> {
    const answers = await Promise.allSettled(waiting.map((w) => w.beforeSending?.()));
    return waiting.filter((w, i) => {
      const answer = answers[i]!;
      w.beforeSending = undefined;
      if (answer.status === 'rejected') w.reject(answer.reason);
      return answer.status === 'fulfilled';
    });
  }

  #budget(batch: Waiting[]): Budget {
    return batch.reduce((soonest, w) => (w.budget.at < soonest.at ? w.budget : soonest), batch[0]!.budget);
  }

  #call(batch: Waiting[]) {
    const targets = batch.map((w) => w.target);
    return {
      cloud: this.provider.cloud,
      displayName: this.options.displayName,
      action: 'RebootInstances' as const,
      region: targets[0]!.region,
      instanceId: batchTarget(targets).instanceId,
      mutating: true,
      attempts: 1,
    };
  }
}
