import { setTimeout as sleep } from 'node:timers/promises';
import type { Deadline } from './call-deadline.js';

export interface Backoff {
  /** Upper bound of the first delay; each further retry doubles it. */
  baseDelayMs: number;
  /** No delay exceeds this. */
  maxDelayMs: number;
  /** Random number in [0, 1); replaceable for tests. */
  random?: () => number;
}

export interface RetryOptions extends Backoff {
  /** Calls in all, the first included; 1 disables retries. */
  maxAttempts: number;
  deadline: Deadline;
  /** Whether repeating the call after this error is safe and may help. */
  shouldRetry(error: unknown): boolean;
}

/**
 * Full-jitter exponential backoff ("Exponential Backoff And Jitter", AWS Architecture Blog): a random delay in
 * [0, min(max, base * 2^retry)), which spreads out clients that were throttled together.
 */
export function backoffDelay(retry: number, backoff: Backoff): number {
  const random = backoff.random ?? Math.random;
  return Math.floor(random() * Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** retry));
}

/**
 * Calls `attempt` until it succeeds, `shouldRetry` refuses its error, `maxAttempts` calls were made, or the next delay
 * would end past the deadline; then throws the last error. `attempt` gets its 1-based number.
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= options.maxAttempts || !options.shouldRetry(error)) throw error;
      const delay = backoffDelay(n - 1, options);
      if (Date.now() + delay >= options.deadline.at) throw error;
      await sleep(delay, undefined, { signal: options.deadline.signal });
    }
  }
}
