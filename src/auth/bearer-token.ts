// Bearer token authentication delegated to kube-apiserver: the Authorization header as
// request/bearertoken/bearertoken.go reads it, and the TokenReview of plugin/pkg/authenticator/token/webhook.
import { goJson } from '../apiserver/go-format.js';
import type { AuthenticationResult } from './user-info.js';

/** Go's strings.TrimSpace on an ASCII header value. */
const trimSpace = (s: string) => s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');

/**
 * The token of `Authorization: Bearer <token>` (Node may give every header line; Go reads the first).
 * Undefined when there is none: no header, another scheme, or an empty token.
 */
export function bearerToken(authorization: string | readonly string[] | undefined): string | undefined {
  const header = trimSpace((typeof authorization === 'string' ? authorization : authorization?.[0]) ?? '');
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/** Keys in Go's field order, empty ones left out (omitempty). */
export interface TokenReview {
  kind: 'TokenReview';
  apiVersion: 'authentication.k8s.io/v1';
  metadata: Record<string, never>;
  spec: { token: string; audiences?: string[] };
  status: { user: Record<string, never> };
}

/** The review posted to /apis/authentication.k8s.io/v1/tokenreviews; audiences only when configured. */
export function tokenReviewRequest(token: string, audiences: readonly string[] = []): TokenReview {
  return {
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {},
    spec: { token, ...(audiences.length > 0 && { audiences: [...audiences] }) },
    status: { user: {} },
  };
}

/** The request body as client-go's JSON serializer writes it, byte for byte. */
export function tokenReviewJson(review: TokenReview): string {
  return `${goJson(review, { sortKeys: false })}\n`;
}

export interface TokenReviewResponse {
  status?: {
    authenticated?: boolean;
    error?: string;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  };
}

/**
 * The answer as a user, or the error the request fails with (401): the review's own error text, or
 * bearertoken's "invalid bearer token" when it gives none.
 */
export function userFromTokenReview(review: TokenReviewResponse): Exclude<AuthenticationResult, undefined> {
  const status = review.status;
  if (!status?.authenticated) return { error: status?.error || 'invalid bearer token' };
  const u = status.user ?? {};
  return {
    user: {
      name: u.username ?? '',
      ...(u.uid && { uid: u.uid }),
      groups: u.groups ?? [],
      extra: { ...u.extra },
    },
  };
}
