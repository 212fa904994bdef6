/** A Tencent Cloud API error; it always travels in an HTTP 200 body. */
export class TencentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATE_WORDS: Record<string, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  STOPPED: 'Stopped',
  STARTING: 'Starting',
  STOPPING: 'Stopping',
  REBOOTING: 'Rebooting',
  SHUTDOWN: 'Shutdown',
  TERMINATING: 'Terminating',
};

export const tencentErrors = {
  missingParameter: (name: string) =>
    new TencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`),
  unknownParameter: (name: string) =>
    new TencentError('UnknownParameter', `The parameter \`${name}\` is not recognized.`),
  invalidParameter: (message: string) => new TencentError('InvalidParameter', message),
  invalidParameterValue: (message: string) => new TencentError('InvalidParameterValue', message),
  invalidParameterCombination: (message: string) => new TencentError('InvalidParameterCombination', message),
  limitExceeded: (name: string, max: number) =>
    new TencentError(
      'InvalidParameterValue.LimitExceeded',
      `The number of \`${name}\` exceeds the limit of ${max}.`,
    ),
  filterValuesLimit: (name: string) =>
    new TencentError('InvalidFilterValue.LimitExceeded', `Filter \`${name}\` has more than 5 values.`),
  invalidFilter: (name: string) =>
    new TencentError('InvalidFilter', `The filter \`${name}\` is not supported.`),
  malformed: (id: string) =>
    new TencentError(
      'InvalidInstanceId.Malformed',
      `The instance ID \`${id}\` is malformed; expected ins-xxxxxxxx.`,
    ),
  notFound: (ids: string[]) =>
    new TencentError('InvalidInstanceId.NotFound', `The instances \`${ids.join(', ')}\` do not exist.`),
  /** The per-state refusal codes of Reboot/Stop/StartInstances, e.g. UnsupportedOperation.InstanceStateRebooting. */
  wrongState: (id: string, state: string) =>
    new TencentError(
      `UnsupportedOperation.InstanceState${STATE_WORDS[state] ?? ''}`,
      `The instance \`${id}\` is in state ${state}; the operation is not supported in this state.`,
    ),
  invalidAction: (action: string) =>
    new TencentError('InvalidAction', `The requested action \`${action}\` does not exist.`),
  noSuchVersion: (version: string) =>
    new TencentError('NoSuchVersion', `The requested version \`${version}\` does not exist.`),
  unsupportedRegion: (region: string) =>
    new TencentError('UnsupportedRegion', `The region \`${region}\` is not supported.`),
  unsupportedProtocol: (method: string) =>
    new TencentError(
      'UnsupportedProtocol',
      `The HTTP method ${method} is not supported; use POST with a JSON body.`,
    ),
  unauthorized: (action: string, region: string) =>
    new TencentError(
      'AuthFailure.UnauthorizedOperation',
      `You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys. you are not authorized to perform operation (cvm:${action}) resource (qcs::cvm:${region}::instance/*) has no permission`,
    ),
  throttled: () =>
    new TencentError('RequestLimitExceeded', 'Your request frequency exceeds the limit for this action.'),
  internal: () => new TencentError('InternalError', 'An internal error has occurred. Retry your request.'),
};
