import { CallAborted } from '../call-deadline.js';
import {
  abortedCallError,
  afterAttempts,
  type CloudCall,
  describeCall,
  NOT_SENT,
  throttledCallError,
  unknownOutcome,
} from '../contract/call.js';
import { CloudError, type CloudErrorInit, type CloudErrorKind, isCloudError } from '../contract/error.js';
import { saysNotConnected } from '../network-errors.js';
import { TencentCredentialsUnavailable } from './tencent-credentials.js';

/**
 * What the SDK's TencentCloudSDKHttpException carries. API errors arrive in HTTP 200 bodies and have a `code`; a
 * non-200 answer has only `httpCode`; network failures, timeouts and aborts have only a message.
 */
export interface CvmFailure {
  message: string;
  code?: string;
  requestId?: string;
  httpCode?: number;
}

export function asCvmFailure(error: unknown): CvmFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, requestId, httpCode } = error as Error & Partial<Record<keyof CvmFailure, unknown>>;
  return {
    message: error.message,
    ...(typeof code === 'string' && code !== '' && { code }),
    ...(typeof requestId === 'string' && requestId !== '' && { requestId }),
    ...(typeof httpCode === 'number' && { httpCode }),
  };
}

const isThrottling = (f: CvmFailure) => f.code?.startsWith('RequestLimitExceeded') === true;
const isInternalError = (f: CvmFailure) =>
  f.code !== undefined && (f.code.startsWith('InternalError') || f.code === 'InternalServerError');
const isTransport = (f: CvmFailure) => f.code === undefined && f.httpCode === undefined;

/** The request cannot have been executed: Tencent throttled it, or it never left this machine. */
export function provesNotExecuted(error: unknown): boolean {
  const failure = asCvmFailure(error);
  return isThrottling(failure) || (isTransport(failure) && saysNotConnected(failure.message));
}

/**
 * Worth repeating when repeating is harmless (reads): also internal errors, gateway 5xx answers, timeouts and
 * dropped connections. These leave a mutation's outcome unknown, InternalError included: RebootInstances starts an
 * asynchronous task, an internal error may come after the task was queued, and RebootInstances takes no ClientToken
 * that would make a repeat safe (the Go SDK repeats network failures only for requests that carry one).
 */
export function isTransient(error: unknown): boolean {
  const failure = asCvmFailure(error);
  return (
    provesNotExecuted(error) ||
    isInternalError(failure) ||
    isTransport(failure) ||
    (failure.code === undefined && failure.httpCode !== undefined && failure.httpCode >= 500)
  );
}

const CREDENTIAL_SOURCES =
  'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, TKE OIDC (TKE_ROLE_ARN and TKE_WEB_IDENTITY_TOKEN_FILE), ' +
  'a credentials file, or the CVM role';

// What each credential refusal means for the operator.
const AUTH_FAILURES: Readonly<Record<string, string>> = {
  'AuthFailure.SecretIdNotFound':
    'the SecretId is unknown to Tencent Cloud, or its key was disabled or deleted',
  'AuthFailure.InvalidSecretId': 'the SecretId is malformed',
  'AuthFailure.SignatureFailure': 'the SecretKey does not belong to the SecretId',
  'AuthFailure.SignatureExpire': "the server's clock is more than five minutes off",
  'AuthFailure.TokenFailure': 'the session token is invalid or has expired',
  'AuthFailure.MFAFailure': 'multi-factor authentication failed',
};

// The transitional states: the instance will accept the action again once the running one ends.
const OPERATION_IN_PROGRESS = new Set([
  'UnsupportedOperation.InstanceStateRebooting',
  'UnsupportedOperation.InstanceStateStarting',
  'UnsupportedOperation.InstanceStateStopping',
  'OperationDenied.InstanceOperationInProgress',
  'MutexOperation.TaskRunning',
]);

const PERMISSION_DENIED = new Set(['AuthFailure.UnauthorizedOperation', 'UnauthorizedOperation']);

function isBadRequest(code: string): boolean {
  return (
    /^(?:InvalidParameter|MissingParameter|UnknownParameter|InvalidFilter)/.test(code) ||
    code === 'InvalidInstanceId.Malformed' ||
    code === 'UnsupportedRegion' ||
    code === 'InvalidRegion'
  );
}

function failed(failure: CvmFailure, kind: CloudErrorKind, message: string, cause: unknown): CloudErrorInit {
  return { kind, cloud: 'tencent', message, code: failure.code, requestId: failure.requestId, cause };
}

/** Turns whatever a CVM call threw into a CloudError that says what happened and what to do about it. */
export function cvmCloudError(thrown: unknown, call: CloudCall): CloudError {
  if (isCloudError(thrown)) return thrown;
  if (thrown instanceof CallAborted) return abortedCallError(call, thrown);
  if (thrown instanceof TencentCredentialsUnavailable) {
    return new CloudError({
      kind: 'AuthFailure',
      cloud: 'tencent',
      message: `the server has no Tencent Cloud credentials for ${describeCall(call)}: provide them through ${CREDENTIAL_SOURCES} (tried: ${thrown.tried.join('; ')})`,
      cause: thrown,
    });
  }
  const failure = asCvmFailure(thrown);
  // A refusal by CVM, which did not act; or a failure after which it may have (unknownOutcome).
  const error = (kind: CloudErrorKind, message: string) =>
    new CloudError({ ...failed(failure, kind, message, thrown), outcome: 'not-acted' });
  const unsure = (kind: CloudErrorKind, message: string) =>
    unknownOutcome(call, failed(failure, kind, message, thrown));
  const { code } = failure;
  const said = `${code}: ${failure.message}`;

  if (code === undefined) {
    if (failure.httpCode !== undefined) {
      return unsure(
        failure.httpCode >= 500 ? 'Unavailable' : 'Internal',
        `${describeCall(call)} got HTTP ${failure.httpCode} (${failure.message})${afterAttempts(call)}`,
      );
    }
    if (/network timeout/i.test(failure.message)) {
      return unsure('Timeout', `${describeCall(call)} timed out${afterAttempts(call)}`);
    }
    const unreached = `${describeCall(call)} could not reach the CVM API${afterAttempts(call)} (${failure.message})`;
    return saysNotConnected(failure.message)
      ? error('Unavailable', `${unreached}; ${NOT_SENT}`)
      : unsure('Unavailable', unreached);
  }
  if (code === 'InvalidInstanceId.NotFound') {
    return error(
      'InstanceNotFound',
      `CVM instance ${call.instanceId} was not found in ${call.region}: ${failure.message}`,
    );
  }
  if (OPERATION_IN_PROGRESS.has(code)) {
    return error(
      'OperationInProgress',
      `${describeCall(call)} was refused because another operation on the instance is in progress (${said})`,
    );
  }
  if (code.startsWith('UnsupportedOperation.InstanceState') || code === 'InvalidInstanceState') {
    return error(
      'InvalidState',
      `${describeCall(call)} was refused in the instance's current state (${said})`,
    );
  }
  if (PERMISSION_DENIED.has(code)) {
    return error(
      'PermissionDenied',
      `the server's Tencent Cloud identity is not allowed to call cvm:${call.action}: grant cvm:${call.action} in ` +
        `its CAM policy (${describeCall(call)}: ${failure.message})`,
    );
  }
  if (code.startsWith('AuthFailure') || code.startsWith('UnauthorizedOperation')) {
    const meaning = AUTH_FAILURES[code] ?? 'the credentials were refused';
    return error(
      'AuthFailure',
      `Tencent Cloud rejected the server's credentials for ${describeCall(call)}: ${meaning} (${said}); check ` +
        `the identity it runs with (${CREDENTIAL_SOURCES})`,
    );
  }
  if (isThrottling(failure)) {
    return throttledCallError(call, {
      code,
      message: failure.message,
      requestId: failure.requestId,
      cause: thrown,
    });
  }
  if (code === 'LimitExceeded' || code.startsWith('LimitExceeded.')) {
    // A quota, not a rate: waiting a moment would not help, but CVM refused the call and did nothing.
    return error(
      'InvalidState',
      `${describeCall(call)} was refused: a Tencent Cloud quota is exceeded (${said}); the cloud did not act on it`,
    );
  }
  if (isInternalError(failure)) {
    return unsure(
      'Unavailable',
      `${describeCall(call)} failed inside Tencent Cloud${afterAttempts(call)} (${said})`,
    );
  }
  if (isBadRequest(code)) {
    return error('InvalidRequest', `${describeCall(call)} was rejected as invalid (${said})`);
  }
  if (code.startsWith('UnsupportedOperation') || code === 'InvalidInstance.NotSupported') {
    return error('Unsupported', `${describeCall(call)} is not possible for this instance (${said})`);
  }
  return unsure('Internal', `${describeCall(call)} failed (${said})`);
}
