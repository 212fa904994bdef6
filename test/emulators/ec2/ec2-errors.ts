/** An EC2 API error: the code becomes the SDK error's name, the status decides retry and $fault. */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const ec2Errors = {
  notFound: (ids: string[]) =>
    new Ec2Error(
      'InvalidInstanceID.NotFound',
      ids.length === 1
        ? `The instance ID '${ids[0]}' does not exist`
        : `The instance IDs '${ids.join(', ')}' do not exist`,
    ),
  malformed: (id: string) => new Ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${id}"`),
  incorrectState: (id: string, verb: string) =>
    new Ec2Error(
      'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be ${verb}.`,
    ),
  neverRunning: (id: string) =>
    new Ec2Error(
      'IncorrectInstanceState',
      `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`,
    ),
  dryRun: () => new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  unauthorized: (mutating: boolean) =>
    new Ec2Error(
      'UnauthorizedOperation',
      mutating
        ? `You are not authorized to perform this operation. Encoded authorization failure message: ${Buffer.from('emulator: action not allowed for this key').toString('base64')}`
        : 'You are not authorized to perform this operation.',
      403,
    ),
  throttled: () => new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503),
  internal: () => new Ec2Error('InternalError', 'An internal error has occurred', 500),
  missingParameter: (name: string) =>
    new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => new Ec2Error('InvalidParameterValue', message),
  invalidParameterCombination: (message: string) => new Ec2Error('InvalidParameterCombination', message),
  invalidAction: (action: string) =>
    new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`),
  missingAction: () => new Ec2Error('MissingAction', 'The request must contain the parameter Action'),
};
