// Users as k8s.io/apiserver/pkg/authentication names and completes them (user/user.go,
// group/authenticated_group_adder.go, request/anonymous/anonymous.go).
import type { UserInfo } from '../apiserver/request-context.js';

export type { UserInfo };

/**
 * An authenticator's answer, as Go's (response, ok, err): a user, an error (the request fails with 401),
 * or undefined when it does not apply (the next authenticator, finally anonymous, is tried).
 */
export type AuthenticationResult = { user: UserInfo } | { error: string } | undefined;

export const ANONYMOUS_USER = 'system:anonymous';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const SYSTEM_MASTERS = 'system:masters';
/** The extra key carrying a credential's identity, e.g. `X509SHA256=<hex>`. */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** Who a request is when no authenticator recognised it. */
export function anonymousUser(): UserInfo {
  return { name: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED], extra: {} };
}

/**
 * AuthenticatedGroupAdder: appends system:authenticated to an authenticated user, unless the user is
 * system:anonymous or already in system:authenticated or system:unauthenticated.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS_USER) return user;
  if (user.groups.some((g) => g === ALL_AUTHENTICATED || g === ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}
