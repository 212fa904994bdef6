// A cloud failure as a metav1.Status: the code and reason its kind maps to, the operator's hint for
// failures only they can fix, the cloud's request id, and Retry-After only when the cloud certainly did
// not act (throttling) — client-go retries even a POST on Retry-After, which must never reboot twice.
import type { CloudError } from './error.js';
import { failureStatus, type ResourceName, type Status } from '../../apiserver/status.js';

export function cloudErrorStatus(err: CloudError, target?: ResourceName, prefix = ''): Status {
  const { code, reason, operatorHint } = err.status;
  let message = `${prefix}${err.message}`;
  if (operatorHint) message += `; ${operatorHint}`;
  if (err.requestId && !message.includes(err.requestId))
    message += ` (${err.cloud} request id ${err.requestId})`;
  // kubectl prints an Invalid error by its causes alone, so a 422 always has one.
  const causes =
    err.code || code === 422
      ? [{ reason: err.code ?? 'FieldValueNotSupported', message: err.message, field: err.field }]
      : undefined;
  return failureStatus(code, reason, message, {
    ...(target && { name: target.name, group: target.group, kind: target.resource }),
    causes,
    retryAfterSeconds: err.retryAfterSeconds,
  });
}
