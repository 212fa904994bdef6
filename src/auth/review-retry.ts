// TokenReviews and SubjectAccessReviews retried as k8s.io/apiserver's webhook authenticator and authorizer retry
// them (pkg/util/webhook/webhook.go, v0.36): DefaultRetryBackoffWithInitialDelay(500ms) — factor 1.5, jitter 0.2,
// 5 attempts — for the failures DefaultShouldRetry names: a reset connection, 500, a Timeout, 429, any answer
// with Retry-After. A refused connection is retried too: a review changes nothing, and it is what a restarting
// kube-apiserver answers. Every attempt ends by the request's deadline, so a blip of a few seconds is ridden out
// and an outage still fails the request in time.
import type { ConfigurationOptions } from '@kubernetes/client-node';
import { REVIEW_TIMEOUT_MS, withTimeout } from './review-timeout.js';

export const REVIEW_BACKOFF = { initialMs: 500, factor: 1.5, jitter: 0.2, steps: 5 } as const;
/** The time a review may take in all, retries included: Go's per-request timeout (--request-timeout, 60 s). */
export const REVIEW_BUDGET_MS = 60_000;

const RETRIED_CODES = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'];

/** What DefaultShouldRetry retries, as client-node's errors carry it. */
export function isTransientReviewError(err: unknown): boolean {
  const e = err as { code?: unknown; headers?: Record<string, string>; cause?: unknown } | undefined;
  if (typeof e?.code === 'number') return e.code === 429 || e.code >= 500 || !!e.headers?.['retry-after'];
  for (let c: unknown = err; c; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && RETRIED_CODES.includes(code)) return true;
  }
  return false;
}

export interface RetryClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const realClock: RetryClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * `review` called with the client options of one attempt (its timeout) until it succeeds, fails for good, the
 * attempts are spent, or the next wait would pass the budget; the last failure is thrown.
 */
export async function withReviewRetry<T>(
  review: (options: ConfigurationOptions) => Promise<T>,
  clock: RetryClock = realClock,
  budgetMs: number = REVIEW_BUDGET_MS,
): Promise<T> {
  const deadline = clock.now() + budgetMs;
  let delay: number = REVIEW_BACKOFF.initialMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await review(withTimeout(Math.min(REVIEW_TIMEOUT_MS, deadline - clock.now())));
    } catch (err) {
      const wait = delay * (1 + clock.random() * REVIEW_BACKOFF.jitter);
      if (attempt >= REVIEW_BACKOFF.steps || !isTransientReviewError(err) || clock.now() + wait >= deadline)
        throw err;
      await clock.sleep(wait);
      delay *= REVIEW_BACKOFF.factor;
    }
  }
}
