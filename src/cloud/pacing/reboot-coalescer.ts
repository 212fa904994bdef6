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

  reboot(target: CloudTarget, mode: RebootMode, budget: Budget): Promise<RebootResult> {
    return new Promise((resolve, reject) => {
      const key = `${target.region}\0${mode}`;
      let group = this.#groups.get(key);
      if (group === undefined) {
        group = { mode, waiting: [], timer: setTimeout(() => this.#flush(key), this.options.windowMs) };
        this.#groups.set(key, group);
      }
      group.waiting.push({ target, budget, resolve, reject });
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

  /** Settles every caller in `batch`; never rejects. */
  async #send(batch: Waiting[], mode: RebootMode): Promise<void> {
    const targets = batch.map((w) => w.target);
    const budget = batch.reduce(
      (soonest, w) => (w.budget.at < soonest.at ? w.budget : soonest),
      batch[0]!.budget,
    );
    const call = {
      cloud: this.provider.cloud,
      displayName: this.options.displayName,
      action: 'RebootInstances' as const,
      region: targets[0]!.region,
      instanceId: batchTarget(targets).instanceId,
      mutating: true,
      attempts: 1,
    };
    try {
      const result = await this.pacer.run(call, budget, (signal) =>
        targets.length === 1
          ? this.provider.reboot(targets[0]!, { mode, dryRun: false, signal })
          : this.provider.rebootMany(targets, { mode, signal }),
      );
      for (const waiting of batch) waiting.resolve(result);
    } catch (error) {
      const parts = partsToRetry(batch, error);
      if (parts === undefined) for (const waiting of batch) waiting.reject(error);
      else await Promise.all(parts.map((part) => this.#send(part, mode)));
    }
  }
}
