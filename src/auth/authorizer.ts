// Delegated authorization as k8s.io/apiserver does it: system:masters and the always-allow paths need no
// review; everything else is a SubjectAccessReview to kube-apiserver, its answer cached (allowed and
// denied separately). A review that fails (after Go's retries) is an error, never an allow.
import { Inject, Injectable } from '@nestjs/common';
import type { AuthorizationV1Api } from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { TtlCache } from '../common/ttl-cache.js';
import type { UserInfo } from '../apiserver/request-context.js';
import { AUTHORIZATION_API } from '../kube/kube.tokens.js';
import type { RequestInfo } from '../apiserver/request-info.js';
import { matchesAlwaysAllowPaths } from './always-allow-paths.js';
import {
  buildSubjectAccessReview,
  decisionFromReview,
  sarCacheKey,
  shouldCacheReview,
  type ReviewDecision,
} from './subject-access-review.js';
import { SYSTEM_MASTERS } from './user-info.js';
import { withReviewRetry } from './review-retry.js';

@Injectable()
export class Authorizer {
  private readonly cache = new TtlCache<ReviewDecision>();
  /** Reviews sent to kube-apiserver (for metrics and tests). */
  reviewsSent = 0;
  /** Their answers by decision; `error` for a review that failed or answered both allow and deny (metrics). */
  readonly reviewDecisions = { allow: 0, deny: 0, 'no-opinion': 0, error: 0 };

  constructor(
    private readonly options: ServerOptions,
    @Inject(AUTHORIZATION_API) private readonly api: AuthorizationV1Api,
  ) {}

  get cacheStats() {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }

  /** Throws when kube-apiserver cannot be asked: the caller must then refuse the request. */
  async authorize(user: UserInfo, info: RequestInfo): Promise<ReviewDecision> {
    if (user.groups.includes(SYSTEM_MASTERS)) return { decision: 'allow', reason: '' };
    if (
      !info.isResourceRequest &&
      matchesAlwaysAllowPaths(info.path, this.options.authorizationAlwaysAllowPaths)
    )
      return { decision: 'allow', reason: '' };
    const key = shouldCacheReview(info) ? sarCacheKey(user, info) : undefined;
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached) return cached;
    const review = buildSubjectAccessReview(user, info);
    this.reviewsSent++;
    let answer;
    try {
      answer = await withReviewRetry((options) =>
        this.api.createSubjectAccessReview({ body: review as never }, options),
      );
    } catch (err) {
      this.reviewDecisions.error++;
      throw err;
    }
    const decision = decisionFromReview(answer.status);
    this.reviewDecisions[decision.error ? 'error' : decision.decision]++;
    // Go caches by `status.allowed`: allowed answers for the authorized TTL, all others for the unauthorized one.
    if (key !== undefined && !decision.error)
      this.cache.set(
        key,
        decision,
        answer.status?.allowed
          ? this.options.authorizationWebhookCacheAuthorizedTtl
          : this.options.authorizationWebhookCacheUnauthorizedTtl,
      );
    return decision;
  }
}
