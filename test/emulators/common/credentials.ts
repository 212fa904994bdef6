/** One access key the emulator accepts. */
export interface KeySpec {
  secret: string;
  /** When set, requests signed with this key must carry exactly this session token. */
  sessionToken?: string;
  /** Actions this key may call; omitted means all. An empty list denies everything (authorization failure). */
  allowedActions?: readonly string[];
}

/** Key id -> secret, or key id -> full spec. */
export type CredentialsConfig = Record<string, string | KeySpec>;

export type KeyRing = ReadonlyMap<string, KeySpec>;

export function toKeyRing(config: CredentialsConfig): KeyRing {
  return new Map(
    Object.entries(config).map(([id, spec]) => [
      id,
      typeof spec === 'string' ? { secret: spec } : { ...spec },
    ]),
  );
}

export function isActionAllowed(key: KeySpec, action: string): boolean {
  return key.allowedActions === undefined || key.allowedActions.includes(action);
}
