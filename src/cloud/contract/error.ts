import { cloudErrorStatus } from './error-status.js';
import type { Status } from '../../apiserver/status.js';

/** What went wrong in a cloud call, independent of the cloud. Providers translate their SDK errors into these. */
export type CloudErrorKind =
  /** The instance does not exist (EC2 InvalidInstanceID.NotFound, CVM InvalidInstanceId.NotFound). */
  | 'InstanceNotFound'
  /** The instance is in a state the action does not accept (stopped, pending, rescue mode…). */
  | 'InvalidState'
  /** Another operation on the instance is in flight (CVM OperationDenied.InstanceOperationInProgress). */
  | 'OperationInProgress'
  /** The cloud throttled the call; it was not performed (EC2 RequestLimitExceeded, CVM RequestLimitExceeded). */
  | 'Throttled'
  /** The cloud API failed or could not be reached (its outcome says whether the request may have been acted on). */
  | 'Unavailable'
  /** The call did not complete in time, or was cancelled (its outcome says whether the cloud may have acted). */
  | 'Timeout'
  /** The server's cloud credentials are missing, invalid or expired. */
  | 'AuthFailure'
  /** The server's cloud identity may not perform the action (EC2 UnauthorizedOperation, CAM denial), dry run too. */
  | 'PermissionDenied'
  /** The cloud rejected the request as malformed (a bad parameter or instance id). */
  | 'InvalidRequest'
  /** The cloud cannot do what was asked, e.g. a hard reboot on EC2. */
  | 'Unsupported'
  /** Anything else. */
  | 'Internal';

/**
 * Whether the cloud may have carried out the request: `not-acted` when it certainly did not (it refused it, or the
 * request never reached it), `unknown` when it may have (the request was sent and its answer lost or a failure).
 */
export type CloudOutcome = 'not-acted' | 'unknown';

/**
 * Kinds that may come after the cloud acted: unless the error says otherwise, their outcome is unknown. Every other
 * kind is the cloud refusing the request, or the server refusing to send it.
 */
const MAY_COME_AFTER_ACTING = new Set<CloudErrorKind>(['Unavailable', 'Timeout', 'Internal']);

export type StatusReason =
  | 'NotFound'
  | 'Conflict'
  | 'TooManyRequests'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'InternalError'
  | 'BadRequest'
  | 'Invalid';

export interface CloudErrorStatus {
  /** HTTP status and metav1.Status code. */
  code: number;
  /** metav1.Status reason (k8s.io/apimachinery pkg/apis/meta/v1 types.go StatusReason). */
  reason: StatusReason;
  /** For failures only the operator can fix, a hint to append to the message. */
  operatorHint?: string;
}

/**
 * How the HTTP layer reports each kind as a Kubernetes Status: the code and reason k8s.io/apimachinery's
 * pkg/api/errors gives each (NewNotFound 404, NewConflict 409, NewTooManyRequests 429, NewServiceUnavailable 503,
 * NewTimeoutError 504, NewBadRequest 400, NewInvalid 422, NewInternalError 500).
 */
export const CLOUD_ERROR_STATUS: Readonly<Record<CloudErrorKind, CloudErrorStatus>> = {
  InstanceNotFound: { code: 404, reason: 'NotFound' },
  InvalidState: { code: 409, reason: 'Conflict' },
  OperationInProgress: { code: 409, reason: 'Conflict' },
  Throttled: { code: 429, reason: 'TooManyRequests' },
  Unavailable: { code: 503, reason: 'ServiceUnavailable' },
  Timeout: { code: 504, reason: 'Timeout' },
  AuthFailure: {
    code: 500,
    reason: 'InternalError',
    operatorHint:
      "the server's cloud credentials were rejected: check the identity it runs with (environment variables, " +
      'IRSA or EKS Pod Identity, TKE OIDC, or the instance role)',
  },
  PermissionDenied: {
    code: 500,
    reason: 'InternalError',
    operatorHint: "grant the server's cloud identity (IAM or CAM role) the permission named in the message",
  },
  InvalidRequest: { code: 400, reason: 'BadRequest' },
  Unsupported: { code: 422, reason: 'Invalid' },
  Internal: { code: 500, reason: 'InternalError' },
};

export interface CloudErrorInit {
  kind: CloudErrorKind;
  /** The cloud's name (CloudDefinition.name). */
  cloud: string;
  message: string;
  /** The cloud's own error code, e.g. InvalidInstanceID.NotFound or UnsupportedOperation.InstanceStateStopped. */
  code?: string;
  /** The cloud's request id, for the operator to quote to the cloud's support. */
  requestId?: string;
  /** The request field an Unsupported failure is about (mode, spec.providerID): its 422's cause names it. */
  field?: string;
  /**
   * Whether the cloud may have acted on the request. Default: unknown for Unavailable, Timeout and Internal, not-acted
   * for the refusals; set it wherever the failure proves which (a request never sent, an answer lost after sending).
   */
  outcome?: CloudOutcome;
  /**
   * Set only when repeating the request is safe because the action was certainly not performed (throttling). The
   * HTTP layer turns it into Retry-After, which makes client-go retry even a POST; it is dropped when the outcome is
   * unknown.
   */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class CloudError extends Error {
  override readonly name = 'CloudError';
  readonly kind: CloudErrorKind;
  readonly cloud: string;
  readonly code?: string;
  readonly requestId?: string;
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly outcome: CloudOutcome;

  constructor(init: CloudErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.cloud = init.cloud;
    this.code = init.code;
    this.requestId = init.requestId;
    this.field = init.field;
    this.outcome = init.outcome ?? (MAY_COME_AFTER_ACTING.has(init.kind) ? 'unknown' : 'not-acted');
    if (this.outcome === 'not-acted') this.retryAfterSeconds = init.retryAfterSeconds;
  }

  get status(): CloudErrorStatus {
    return CLOUD_ERROR_STATUS[this.kind];
  }

  /** What the failure means to the client: the HTTP layer answers any error that has this method with it. */
  toStatus(): Status {
    return cloudErrorStatus(this);
  }
}

export function isCloudError(error: unknown): error is CloudError {
  return error instanceof CloudError;
}
