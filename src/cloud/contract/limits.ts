// What a cloud allows the calls that change instances, as its plugin declares it (each cloud's index.ts cites its
// documentation). pacing/ keeps every caller within it.

/** A request rate: `perSecond` tokens refill a bucket of `burst`; each request takes one. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export type MutatingAction = 'RebootInstances' | 'StopInstances' | 'StartInstances';

/** One cloud's request rates by action; an action without one is not paced. */
export type RateLimits = Partial<Record<MutatingAction, RateLimit>>;

export interface CloudLimits {
  /** Per region and action. */
  rates: RateLimits;
  /** Most instances one RebootInstances takes. */
  rebootBatch: number;
}
