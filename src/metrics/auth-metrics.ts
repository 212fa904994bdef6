// How often the TokenReview and SubjectAccessReview caches answer, and what the reviews sent said: counted by the
// authenticators as plain numbers, read here at scrape time. Hit ratio: hits / (hits + misses).
import { Injectable } from '@nestjs/common';
import { Authorizer } from '../auth/authorizer.js';
import { TokenAuthenticator } from '../auth/token-authenticator.js';
import { MetricsRegistry } from './metrics-registry.js';

const cacheResults = (stats: { hits: number; misses: number }) => ({ hit: stats.hits, miss: stats.misses });

@Injectable()
export class AuthMetrics {
  constructor(metrics: MetricsRegistry, authorizer: Authorizer, tokens: TokenAuthenticator) {
    metrics.countersFrom(
      'cloud_node_manager_authorization_cache_requests_total',
      'Lookups in the SubjectAccessReview cache by result (hit, miss); system:masters, always-allow paths and ' +
        'uncacheable requests do not look.',
      'result',
      () => cacheResults(authorizer.cacheStats),
    );
    metrics.countersFrom(
      'cloud_node_manager_subject_access_reviews_total',
      'SubjectAccessReviews sent to kube-apiserver by decision (allow, deny, no-opinion, error).',
      'decision',
      () => authorizer.reviewDecisions,
    );
    metrics.countersFrom(
      'cloud_node_manager_token_cache_requests_total',
      'Lookups in the TokenReview cache by result (hit, miss).',
      'result',
      () => cacheResults(tokens.cacheStats),
    );
    metrics.countersFrom(
      'cloud_node_manager_token_reviews_total',
      'TokenReviews sent to kube-apiserver by result (authenticated, unauthenticated, failed).',
      'result',
      () => tokens.reviewResults,
    );
  }
}
