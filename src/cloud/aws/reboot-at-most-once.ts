import type {
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { isNotConnectedError } from '../network-errors.js';
import { isEc2ThrottlingError } from './ec2-failure.js';

/**
 * A failure the SDK must not retry. Its retry classifier reads the error's name, code, HTTP status and cause chain;
 * this wrapper has none of them (the failure is deliberately not its `cause`), so the classifier ends the call.
 */
export class FinalAttempt extends Error {
  override readonly name = 'FinalAttempt';

  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

type Mutation = RebootInstancesCommand | StopInstancesCommand | StartInstancesCommand;

/**
 * The SDK retries timeouts, dropped connections and 5xx answers of every command. After such a failure of
 * RebootInstances (or StopInstances, StartInstances) the instance may already be rebooting, and a second request
 * could reboot it again. This
 * middleware sits inside the SDK's retry loop and lets only failures that prove EC2 did not act stay retryable:
 * throttling, and a connection that was never made. Every other failure ends the call.
 */
export function retryOnlyUnexecuted<C extends Mutation>(command: C): C {
  // The middleware touches no input or output field, so one command type's stack stands for all three.
  (command as Mutation as RebootInstancesCommand).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw isEc2ThrottlingError(error) || isNotConnectedError(error) ? error : new FinalAttempt(error);
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'retryOnlyUnexecutedMiddleware' },
  );
  return command;
}
