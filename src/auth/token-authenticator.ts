// Bearer tokens (clients that call us directly, e.g. Prometheus with a ServiceAccount token) are checked
// with a TokenReview; answers are cached by a hash of the token, never by the token itself.
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AuthenticationV1Api } from '@kubernetes/client-node';
import { ServerOptions } from '../config/server-options.js';
import { TtlCache } from '../common/ttl-cache.js';
import type { UserInfo } from '../common/request-context.js';
import { AUTHENTICATION_API } from '../kube/kube.tokens.js';
import { tokenReviewRequest, userFromTokenReview } from './bearer-token.js';

export type TokenResult = { user: UserInfo } | { error: string };

@Injectable()
export class TokenAuthenticator {
  private readonly cache = new TtlCache<TokenResult>();

  constructor(
    private readonly options: ServerOptions,
    @Inject(AUTHENTICATION_API) private readonly api: AuthenticationV1Api,
  ) {}

  async authenticate(token: string): Promise<TokenResult> {
    const key = createHash('sha256').update(token).digest('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const review = await this.api.createTokenReview({ body: tokenReviewRequest(token) });
    const result = userFromTokenReview(review);
    this.cache.set(key, result, this.options.authenticationTokenWebhookCacheTtl);
    return result;
  }
}
