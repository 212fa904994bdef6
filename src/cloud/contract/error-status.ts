// A cloud failure as a metav1.Status: the code and reason its kind maps to, the operator's hint for
// failures only they can fix, the cloud's request id, a cause saying so when the cloud may have acted, and
// Retry-After only when the cloud certainly did not act (throttling) — client-go retries even a POST on
// Retry-After, which must never reboot twice.
import type { CloudError } from './error.js';
import { failureStatus, type ResourceName, type Status, type StatusCause } from '../../apiserver/status.js';

/**
 * The cause a Status carries when the cloud may have carried the action out although the call failed: whoever
 * reads the Status (a client, the repair runner) must not take it for "nothing happened".
 */
export const OUTCOME_UNKNOWN = 'CloudOutcomeUnknown';

export function cloudErrorStatus(err: CloudError, target?: ResourceName, prefix = ''): Status {
  const { code, reason, operatorHint } = err.status;
  let message = `${prefix}${err.message}`;
  if (operatorHint) message += `; ${operatorHint}`;
  if (err.requestId && !message.includes(err.requestId))
    message += ` (${err.cloud} request id ${err.requestId})`;
  const causes: StatusCause[] = [];
  // kubectl prints an Invalid error by its causes alone, so a 422 always has one.
  if (err.code || code === 422)
    causes.push({ reason: err.code ?? 'FieldValueNotSupported', message: err.message, field: err.field });
  if (err.outcome === 'unknown')
    causes.push({
      reason: OUTCOME_UNKNOWN,
      message: 'the cloud may have acted on the request; it was not repeated',
    });
  return failureStatus(code, reason, message, {
    ...(target && { name: target.name, group: target.group, kind: target.resource }),
    causes: causes.length === 0 ? undefined : causes,
    retryAfterSeconds: err.retryAfterSeconds,
  });
}

/** Whether a Status says its cloud call may have been carried out (OUTCOME_UNKNOWN). */
export function saysOutcomeUnknown(status: Status | undefined): boolean {
  return status?.details?.causes?.some((c) => c.reason === OUTCOME_UNKNOWN) ?? false;
}
