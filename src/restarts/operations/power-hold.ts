// A power action (stop, start) holds its node's Lease — the one a restart's lock is — for as long as its cloud call
// takes, so that one action runs on a node at a time across replicas: a restart asked for meanwhile gets 409, as a
// stop asked for during a restart does. The hold sits beside the node's latest restart record, which it leaves as it
// is, and expires by itself, so that a replica that dies mid-call cannot keep the node.
import type { V1Lease } from '@kubernetes/client-node';

export const HOLD_ANNOTATION = 'infraops.michael.io/power-hold';
/** Longer than any power call with its retries and pacing waits; how long a dead replica's hold can last. */
export const HOLD_MS = 120_000;

export interface PowerHold {
  id: string;
  /** Stop or Start. */
  action: string;
  requestedBy: string;
  startedAt: string;
  expiresAt: string;
}

/** The Lease's hold while it is live; undefined when there is none, or it expired. */
export function liveHold(lease: V1Lease | undefined, now = Date.now()): PowerHold | undefined {
  const text = lease?.metadata?.annotations?.[HOLD_ANNOTATION];
  if (!text) return undefined;
  try {
    const hold = JSON.parse(text) as PowerHold;
    return typeof hold.id === 'string' && Date.parse(hold.expiresAt) > now ? hold : undefined;
  } catch {
    return undefined;
  }
}

/** The Lease with the hold added (hold) or removed (undefined); its resourceVersion kept as the precondition. */
export function withHold(lease: V1Lease, hold: PowerHold | undefined): V1Lease {
  const annotations = { ...lease.metadata?.annotations };
  delete annotations[HOLD_ANNOTATION];
  if (hold) annotations[HOLD_ANNOTATION] = JSON.stringify(hold);
  return { ...lease, metadata: { ...lease.metadata, annotations } };
}
