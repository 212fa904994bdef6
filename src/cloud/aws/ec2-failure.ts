/** What the AWS SDK puts on the errors it throws; EC2 API errors have all of it, network errors only name/code. */
export interface Ec2Failure {
  /** The EC2 error code (InvalidInstanceID.NotFound…), or the JavaScript error name for other failures. */
  name: string;
  message: string;
  /** Node.js system error code, for network failures. */
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

export function asEc2Failure(error: unknown): Ec2Failure {
  if (error instanceof Error) return error as Error & Ec2Failure;
  return { name: 'Error', message: String(error) };
}

// The SDK's own list (smithy service-error-classification THROTTLING_ERROR_CODES) less names no EC2 call returns.
const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'ThrottledException',
  'EC2ThrottledException',
  'TooManyRequestsException',
  'BandwidthLimitExceeded',
  'SlowDown',
]);

/** EC2 refused the request for its rate, so it did not act on it. */
export function isEc2ThrottlingError(error: unknown): boolean {
  const failure = asEc2Failure(error);
  return THROTTLING_CODES.has(failure.name) || failure.$metadata?.httpStatusCode === 429;
}
