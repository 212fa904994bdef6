// The time limit k8s.io/apiserver puts on the reviews it delegates to kube-apiserver: 10 s for a TokenReview
// (DelegatingAuthenticationOptions.TokenRequestTimeout) and for a SubjectAccessReview
// (DelegatingAuthorizationOptions.ClientTimeout). Without it, an unresponsive kube-apiserver would hold every
// request until the HTTP client's own 300 s header timeout.
import {
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

export const REVIEW_TIMEOUT_MS = 10_000;

/** Per-call client options that abort the call after `ms` (the object API takes observable middleware). */
export function withTimeout(ms: number = REVIEW_TIMEOUT_MS): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms));
          return new Observable(Promise.resolve(ctx));
        },
        post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
