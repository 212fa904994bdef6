// Bearer tokens (clients that call us directly, e.g. Prometheus with a ServiceAccount token) are checked
// with a TokenReview; answers are cached by a hash of the token, never by the token itself.
// As k8s.io/apiserver's cachedTokenAuthenticator (cacheErrs=false) does it: authenticated and plainly
// unauthenticated answers are cached for the TTL; an answer carrying an error, and a review that could not be
// made (after Go's retries), are not cached, and fail the request with a 401 like any authenticator error.
// Concurrent requests with the same token share one review.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AuthenticationV1Api } from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { TtlCache } from '../common/ttl-cache.js';
import type { UserInfo } from '../apiserver/request-context.js';
import { AUTHENTICATION_API } from '../kube/kube.tokens.js';
import { tokenReviewRequest, userFromTokenReview } from './bearer-token.js';
import { withReviewRetry } from './review-retry.js';

export type TokenResult = { user: UserInfo } | { error: string };

@Injectable()
export class TokenAuthenticator {
  private readonly log = new Logger(TokenAuthenticator.name);
  private readonly cache = new TtlCache<TokenResult>();
  private readonly inFlight = new Map<string, Promise<TokenResult>>();
  /** TokenReviews by result; `failed` for one that could not be made (metrics). */
  readonly reviewResults = { authenticated: 0, unauthenticated: 0, failed: 0 };

  constructor(
    private readonly options: ServerOptions,
    @Inject(AUTHENTICATION_API) private readonly api: AuthenticationV1Api,
  ) {}

  get cacheStats() {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }

  authenticate(token: string): Promise<TokenResult> {
    const key = createHash('sha256').update(token).digest('base64');
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.review(key, token).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async review(key: string, token: string): Promise<TokenResult> {
    let review;
    try {
      review = await withReviewRetry((options) =>
        this.api.createTokenReview({ body: tokenReviewRequest(token) }, options),
      );
    } catch (err) {
      // An outage or bad configuration: logged (without the token), not cached, and a 401 for this request.
      const message = `the TokenReview could not be made: ${(err as Error).message}`;
      this.log.error(message);
      this.reviewResults.failed++;
      return { error: message };
    }
    const result = userFromTokenReview(review);
    this.reviewResults[review.status?.authenticated ? 'authenticated' : 'unauthenticated']++;
    if (review.status?.authenticated || !review.status?.error)
      this.cache.set(key, result, this.options.authenticationTokenWebhookCacheTtl);
    return result;
  }
}
