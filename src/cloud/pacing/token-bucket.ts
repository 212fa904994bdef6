import type { RateLimit } from '../contract/limits.js';

/**
 * A token bucket that hands out reservations: a taker that finds it empty still gets a token, due when the refill
 * reaches it, so waiters are served in the order they came (as golang.org/x/time/rate's Reserve).
 */
export class TokenBucket {
  #tokens: number;
  #updated: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = limit.burst;
    this.#updated = now();
  }

  /** Takes a token; returns in how many milliseconds it is due (0: now). */
  reserve(): number {
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.limit.perSecond) * 1000);
  }

  /** Gives back a reserved token that will not be used. */
  release(): void {
    this.#refill();
    this.#tokens = Math.min(this.limit.burst, this.#tokens + 1);
  }

  #refill(): void {
    const now = this.now();
    const refilled = ((now - this.#updated) / 1000) * this.limit.perSecond;
    this.#tokens = Math.min(this.limit.burst, this.#tokens + refilled);
    this.#updated = now;
  }
}
