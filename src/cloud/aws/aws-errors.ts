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
import {
  CloudError,
  type CloudErrorInit,
  type CloudErrorKind,
  type CloudOutcome,
  isCloudError,
} from '../contract/error.js';
import { closedBeforeSending, isDroppedConnection, isNotConnectedError } from '../network-errors.js';
import { asEc2Failure, type Ec2Failure, isEc2ThrottlingError } from './ec2-failure.js';
import { FinalAttempt } from './reboot-at-most-once.js';

const CREDENTIAL_SOURCES =
  'environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), IRSA (AWS_ROLE_ARN with ' +
  'AWS_WEB_IDENTITY_TOKEN_FILE), EKS Pod Identity, a profile, or the EC2 instance role';

// Failures to obtain credentials: the SDK's provider chain, and STS refusing the IRSA web identity token.
const NO_CREDENTIALS = new Set([
  'CredentialsProviderError',
  'AccessDenied',
  'ExpiredTokenException',
  'InvalidIdentityTokenException',
  'IDPRejectedClaimException',
  'IDPCommunicationErrorException',
]);

// EC2 refusing the credentials or the signature made with them.
const CREDENTIALS_REJECTED = new Set([
  'AuthFailure',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'RequestExpired',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
]);

const BAD_REQUEST = new Set([
  'InvalidInstanceID.Malformed',
  'InvalidParameter',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'UnknownParameter',
  'InvalidAction',
]);

const WRONG_STATE = new Set(['IncorrectInstanceState', 'IncorrectState']);

const UNSUPPORTED = new Set(['UnsupportedOperation', 'Unsupported', 'OptInRequired']);

function failed(
  failure: Ec2Failure,
  kind: CloudErrorKind,
  message: string,
  outcome?: CloudOutcome,
): CloudErrorInit {
  return {
    kind,
    cloud: 'aws',
    message,
    outcome,
    code: failure.name,
    requestId: failure.$metadata?.requestId,
    cause: failure,
  };
}

function cloudError(failure: Ec2Failure, kind: CloudErrorKind, message: string, outcome?: CloudOutcome) {
  return new CloudError(failed(failure, kind, message, outcome));
}

/** Turns whatever an EC2 call threw into a CloudError that says what happened and what to do about it. */
export function ec2CloudError(thrown: unknown, sent: CloudCall): CloudError {
  if (isCloudError(thrown)) return thrown;
  if (thrown instanceof CallAborted) return abortedCallError(sent, thrown);
  const failure = asEc2Failure(thrown instanceof FinalAttempt ? thrown.failure : thrown);
  const attempts = asEc2Failure(thrown).$metadata?.attempts ?? failure.$metadata?.attempts ?? 1;
  const call: CloudCall = { ...sent, attempts };
  const said = `${failure.name}: ${failure.message}`;
  const { name } = failure;
  const status = failure.$metadata?.httpStatusCode;

  if (NO_CREDENTIALS.has(name)) {
    return cloudError(
      failure,
      'AuthFailure',
      `the server has no usable AWS credentials for ${describeCall(call)} (${said}); ` +
        `provide them through ${CREDENTIAL_SOURCES}`,
    );
  }
  if (name === 'InvalidInstanceID.NotFound') {
    return cloudError(
      failure,
      'InstanceNotFound',
      `EC2 instance ${call.instanceId} was not found in ${call.region}: ${failure.message}`,
    );
  }
  if (WRONG_STATE.has(name)) {
    return cloudError(failure, 'InvalidState', `${describeCall(call)} was refused: ${failure.message}`);
  }
  if (name === 'UnauthorizedOperation') {
    return cloudError(
      failure,
      'PermissionDenied',
      `the server's AWS identity is not allowed to call ec2:${call.action}: grant ec2:${call.action} in its IAM ` +
        `policy (${describeCall(call)}: ${failure.message})`,
    );
  }
  if (CREDENTIALS_REJECTED.has(name)) {
    return cloudError(
      failure,
      'AuthFailure',
      `EC2 rejected the server's AWS credentials for ${describeCall(call)} (${said}); check the identity it ` +
        `runs with (${CREDENTIAL_SOURCES}) and that its clock is right`,
    );
  }
  if (isEc2ThrottlingError(failure)) {
    return throttledCallError(call, {
      code: name,
      message: failure.message,
      requestId: failure.$metadata?.requestId,
      cause: failure,
    });
  }
  if (BAD_REQUEST.has(name)) {
    return cloudError(failure, 'InvalidRequest', `${describeCall(call)} was rejected as invalid (${said})`);
  }
  if (UNSUPPORTED.has(name)) {
    return cloudError(failure, 'Unsupported', `${describeCall(call)} is not possible (${said})`);
  }
  if (closedBeforeSending(failure)) {
    return cloudError(
      failure,
      'Unavailable',
      `${describeCall(call)} found its connection to EC2 closed before the request was sent${afterAttempts(call)} ` +
        `(${failure.code}: ${failure.message}); EC2 did not receive it, retry later`,
      'not-acted',
    );
  }
  if (isDroppedConnection(failure)) {
    return unknownOutcome(
      call,
      failed(
        failure,
        'Unavailable',
        `${describeCall(call)} lost its connection to EC2${afterAttempts(call)} (${failure.code}: ${failure.message})`,
      ),
    );
  }
  if (name === 'TimeoutError') {
    return unknownOutcome(
      call,
      failed(failure, 'Timeout', `${describeCall(call)} timed out${afterAttempts(call)}`),
    );
  }
  if (status !== undefined && status >= 500) {
    return unknownOutcome(
      call,
      failed(
        failure,
        'Unavailable',
        `${describeCall(call)} failed${afterAttempts(call)} (HTTP ${status}, ${said})`,
      ),
    );
  }
  if (status === undefined && failure.code !== undefined) {
    const unreached = failed(
      failure,
      'Unavailable',
      `${describeCall(call)} could not reach EC2${afterAttempts(call)} (${failure.code}: ${failure.message})`,
    );
    return isNotConnectedError(failure)
      ? new CloudError({ ...unreached, message: `${unreached.message}; ${NOT_SENT}`, outcome: 'not-acted' })
      : unknownOutcome(call, unreached);
  }
  if (name === 'DryRunOperation') {
    return cloudError(failure, 'Internal', `${describeCall(call)} answered a dry run (${said})`, 'not-acted');
  }
  return unknownOutcome(
    call,
    failed(
      failure,
      'Internal',
      `${describeCall(call)} failed${afterAttempts(call)} (${said}${status === undefined ? '' : `, HTTP ${status}`})`,
    ),
  );
}
