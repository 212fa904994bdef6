import { type CloudErrorKind, isCloudError } from '../contract/error.js';
import type { CloudTarget } from '../contract/provider.js';

// Failures for which EC2 and CVM check every instance of a batch before acting, and refuse the whole call when
// one is wrong: nothing was done, so the other instances can be sent again.
const REFUSED_AS_A_WHOLE = new Set<CloudErrorKind>([
  'InstanceNotFound',
  'InvalidState',
  'OperationInProgress',
  'InvalidRequest',
  'Unsupported',
]);

/** Whether the cloud's own message names the instance as a whole word (i-1234 is not i-12345). */
function names(text: string, instanceId: string): boolean {
  const escaped = instanceId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`).test(text);
}

/**
 * How to send again the parts of a batch the cloud refused as a whole because of some of its instances: each
 * instance the refusal names alone, so that it gets its own answer, and the others together; when it names none,
 * two halves. Undefined when nothing may be sent again: the outcome is unknown (a timeout, a 5xx), the failure is
 * true of every instance (throttling, credentials, permission), or the refusal names them all (it is each one's
 * answer).
 */
export function partsToRetry<R extends { target: CloudTarget }>(
  batch: R[],
  error: unknown,
): R[][] | undefined {
  if (batch.length < 2 || !isCloudError(error) || error.outcome !== 'not-acted') return undefined;
  if (!REFUSED_AS_A_WHOLE.has(error.kind)) return undefined;
  // The cloud's message, not ours: ours names every instance of the call.
  const said = error.cause instanceof Error ? error.cause.message : error.message;
  const named = batch.filter((r) => names(said, r.target.instanceId));
  if (named.length === batch.length) return undefined;
  if (named.length === 0) {
    const half = Math.ceil(batch.length / 2);
    return [batch.slice(0, half), batch.slice(half)];
  }
  return [...named.map((r) => [r]), batch.filter((r) => !named.includes(r))];
}
