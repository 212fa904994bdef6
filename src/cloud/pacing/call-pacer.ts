import { setTimeout as sleep } from 'node:timers/promises';
import { CallAborted } from '../call-deadline.js';
import { type CloudCall, describeCall, THROTTLED_RETRY_AFTER_SECONDS } from '../contract/call.js';
import { CloudError } from '../contract/error.js';
import type { MutatingAction, RateLimit, RateLimits } from '../contract/limits.js';
import { TokenBucket } from './token-bucket.js';

/** A mutating call to pace: its cloud, action and region pick the bucket. */
export type PacedCall = CloudCall & { action: MutatingAction; region: string };

/** A call's time budget (CLOUD_TIMEOUT), which starts when the call is asked for, not when it is sent. */
export interface Budget {
  /** Epoch milliseconds at which it runs out. */
  at: number;
  timeoutMs: number;
}

export function budgetFrom(timeoutMs: number, now = Date.now()): Budget {
  return { at: now + timeoutMs, timeoutMs };
}

/** A token bucket per region and action of one cloud, in front of the calls that change instances. */
export class CallPacer {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: RateLimits) {}

  /**
   * Runs `send` once the call's turn has come, with a signal that aborts when the budget runs out. The turn is
   * waited for only while the call keeps at least half its budget to be answered in, since an unanswered mutation
   * is never repeated; past that the call fails Throttled without the cloud being asked.
   */
  async run<T>(
    call: PacedCall,
    budget: Budget,
    send: (signal: AbortSignal) => Promise<T>,
    callerSignal?: AbortSignal,
  ): Promise<T> {
    const limit = this.limits[call.action];
    if (limit !== undefined) await this.#turn(call, limit, budget, callerSignal);
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new CallAborted('timeout', budget.timeoutMs)),
      Math.max(0, budget.at - Date.now()),
    );
    const signals = callerSignal === undefined ? [controller.signal] : [controller.signal, callerSignal];
    try {
      return await send(AbortSignal.any(signals));
    } finally {
      clearTimeout(timer);
    }
  }

  async #turn(call: PacedCall, limit: RateLimit, budget: Budget, callerSignal?: AbortSignal): Promise<void> {
    const key = `${call.region}\0${call.action}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) this.#buckets.set(key, (bucket = new TokenBucket(limit)));
    const wait = bucket.reserve();
    if (wait === 0) return;
    if (Date.now() + wait > budget.at - budget.timeoutMs / 2) {
      bucket.release();
      throw new CloudError({
        kind: 'Throttled',
        cloud: call.cloud,
        retryAfterSeconds: Math.max(THROTTLED_RETRY_AFTER_SECONDS, Math.ceil(wait / 1000)),
        message:
          `${describeCall(call)} was not sent: this server keeps to ${limit.perSecond} ${call.action} requests ` +
          `a second per region, the cloud's limit, and the next turn is ${wait} ms away, too late for the ` +
          `call's ${budget.timeoutMs} ms budget; the cloud was not asked, retry later`,
      });
    }
    try {
      await sleep(wait, undefined, callerSignal && { signal: callerSignal });
    } catch (error) {
      bucket.release();
      throw new CloudError({
        kind: 'Timeout',
        cloud: call.cloud,
        outcome: 'not-acted',
        message: `${describeCall(call)} was cancelled by its caller while waiting for its turn; the cloud was not asked`,
        cause: error,
      });
    }
  }
}
