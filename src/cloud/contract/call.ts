import type { CallAborted } from '../call-deadline.js';
import { CloudError, type CloudErrorInit } from './error.js';

/** Retry-After for a throttled call: the cloud refused it, so repeating it is safe once its rate window has passed. */
export const THROTTLED_RETRY_AFTER_SECONDS = 2;

/** One cloud API call, as messages and error mapping need it. */
export interface CloudCall {
  /** The cloud's name (CloudDefinition.name), e.g. aws. */
  cloud: string;
  /** The cloud's display name (CloudDefinition.displayName), e.g. AWS EC2. */
  displayName: string;
  /** The cloud's API action, e.g. RebootInstances. */
  action: string;
  instanceId?: string;
  region?: string;
  /** The action changes the instance: a failure that leaves its outcome unknown is said so, and never repeated. */
  mutating: boolean;
  /** Requests sent, retries included. */
  attempts: number;
}

/** "AWS EC2 RebootInstances for i-0123456789abcdef0 in us-east-1". */
export function describeCall(call: CloudCall): string {
  const instance = call.instanceId === undefined ? '' : ` for ${call.instanceId}`;
  const region = call.region === undefined || call.region === '' ? '' : ` in ${call.region}`;
  return `${call.displayName} ${call.action}${instance}${region}`;
}

export function afterAttempts(call: CloudCall): string {
  return call.attempts > 1 ? ` after ${call.attempts} attempts` : '';
}

/** Ends the message of a failure that proves the request never left this machine. */
export const NOT_SENT = 'the request was not sent, retry later';

/**
 * The error of a call that failed after its request may have reached the cloud. A mutation's outcome is then unknown:
 * its message says so, and it is never repeated. A read acted on nothing.
 */
export function unknownOutcome(call: CloudCall, init: CloudErrorInit): CloudError {
  if (!call.mutating) return new CloudError({ ...init, outcome: 'not-acted' });
  return new CloudError({
    ...init,
    outcome: 'unknown',
    message:
      `${init.message}; whether ${call.action} took effect is unknown, so it was not repeated: check the instance ` +
      'before trying again',
  });
}

export function abortedCallError(call: CloudCall, aborted: CallAborted): CloudError {
  const what =
    aborted.why === 'timeout'
      ? `got no answer within ${aborted.afterMs} ms`
      : `was cancelled by its caller after ${aborted.afterMs} ms`;
  return unknownOutcome(call, {
    kind: 'Timeout',
    cloud: call.cloud,
    message: `${describeCall(call)} ${what}`,
    cause: aborted,
  });
}

/** A request whose every attempt was throttled: the cloud did not act on it. */
export function throttledCallError(
  call: CloudCall,
  detail: { code: string; message: string; requestId?: string; cause: unknown },
): CloudError {
  return new CloudError({
    kind: 'Throttled',
    cloud: call.cloud,
    code: detail.code,
    requestId: detail.requestId,
    outcome: 'not-acted',
    retryAfterSeconds: THROTTLED_RETRY_AFTER_SECONDS,
    message:
      `${describeCall(call)} was throttled${afterAttempts(call)} (${detail.code}: ${detail.message}); ` +
      'the cloud did not act on it, retry later',
    cause: detail.cause,
  });
}

/** Told of each cloud API call when it settles, retries included: how long it took and how it ended (metrics). */
export type CloudCallObserver = (call: CloudCall, seconds: number, error: unknown) => void;

/** DI token of the optional CloudCallObserver the providers are given. */
export const CLOUD_CALL_OBSERVER = Symbol('CLOUD_CALL_OBSERVER');

/** Runs one cloud API call (`run` throws the CloudError it ends with), telling `observer` about it. */
export async function observeCall<T>(
  observer: CloudCallObserver | undefined,
  call: CloudCall,
  run: () => Promise<T>,
): Promise<T> {
  if (observer === undefined) return run();
  const started = performance.now();
  try {
    const result = await run();
    observer(call, (performance.now() - started) / 1000, undefined);
    return result;
  } catch (error) {
    observer(call, (performance.now() - started) / 1000, error);
    throw error;
  }
}

/**
 * "success", or the CloudErrorKind the call failed with. EC2 answers a dry run that would succeed with the error
 * DryRunOperation, which is a success here.
 */
export function callOutcome(error: unknown): string {
  if (error === undefined) return 'success';
  if (!(error instanceof CloudError)) return 'Internal';
  return error.code === 'DryRunOperation' ? 'success' : error.kind;
}
