import { randomUUID } from 'node:crypto';
import { CloudEmulator, type Dispatch, type IncomingCall, type Reply } from '../common/cloud-emulator.js';
import { INSTANCE_ACTIONS, type CallRecord } from '../common/call-log.js';
import { toKeyRing, type CredentialsConfig, type KeyRing } from '../common/credentials.js';
import type { CloudErrorFault } from '../common/faults.js';
import { splitRawUrl } from '../common/request-parts.js';
import { isKnownAction, runAction } from './ec2-actions.js';
import { Ec2Error, ec2Errors } from './ec2-errors.js';
import {
  Ec2Instance,
  type Ec2InstanceSeed,
  type Ec2InstanceSnapshot,
  type Ec2StateName,
} from './ec2-instances.js';
import { parseQueryForm, stringList, stringParam } from './query-form.js';
import { verifySigV4 } from './sigv4-verifier.js';
import { errorEnvelope, successEnvelope } from './xml.js';

export interface Ec2EmulatorOptions {
  /** Access key id -> secret access key (or a KeySpec with a session token and allowed actions). */
  credentials: CredentialsConfig;
  instances?: Ec2InstanceSeed[];
  /** How long stopping and pending last, in milliseconds (default 100). */
  transitionMs?: number;
  /** Default 0: any free port. */
  port?: number;
}

/** EC2 Query API (2016-11-15) on 127.0.0.1, with SigV4 verification and per-region instances. */
export class Ec2Emulator extends CloudEmulator<
  Ec2InstanceSeed,
  Ec2StateName,
  Ec2InstanceSnapshot,
  Ec2Instance
> {
  readonly #keys: KeyRing;

  private constructor(options: Ec2EmulatorOptions) {
    const transitionMs = options.transitionMs ?? 100;
    super((seed, ordinal) => new Ec2Instance(seed, ordinal, transitionMs), options.instances);
    this.#keys = toKeyRing(options.credentials);
  }

  static async start(options: Ec2EmulatorOptions): Promise<Ec2Emulator> {
    const emulator = new Ec2Emulator(options);
    await emulator.listen(options.port);
    return emulator;
  }

  /** Endpoint for EC2Client({ endpoint }) or AWS_ENDPOINT_URL_EC2. */
  get endpoint(): string {
    return this.url;
  }

  protected dispatch(request: IncomingCall): Dispatch {
    const { query } = splitRawUrl(request.rawUrl);
    const params = parseQueryForm([query, request.body.toString('utf8')].filter(Boolean).join('&'));
    const action = stringParam(params, 'Action') ?? '';
    const auth = verifySigV4(request, this.#keys, 'ec2');
    const attempt = /attempt=(\d+)/.exec(request.headers['amz-sdk-request']?.toString() ?? '')?.[1];
    return {
      call: {
        action,
        region: auth.region,
        params,
        accessKeyId: auth.accessKeyId,
        signatureValid: auth.failure === undefined,
        ...(auth.scope !== undefined && { signingScope: auth.scope }),
        ...(attempt !== undefined && { attempt: Number(attempt) }),
      },
      respond: () => {
        const requestId = randomUUID();
        try {
          if (auth.failure) throw new Ec2Error(auth.failure.code, auth.failure.message, auth.failure.status);
          if (action === '') throw ec2Errors.missingAction();
          if (!isKnownAction(action)) throw ec2Errors.invalidAction(action);
          const children = runAction({
            action,
            params,
            region: auth.region!,
            key: auth.key!,
            store: this.store,
          });
          return {
            ...xmlReply(200, successEnvelope(action, requestId, children), requestId),
            ...(INSTANCE_ACTIONS.has(action) && { executed: stringList(params, 'InstanceId') }),
          };
        } catch (err) {
          if (err instanceof Ec2Error) return errorReply(err, requestId);
          throw err;
        }
      },
    };
  }

  protected cloudError(fault: CloudErrorFault, _call: CallRecord): Reply {
    const error =
      fault.fault === 'throttle'
        ? ec2Errors.throttled()
        : fault.fault === 'internal-error'
          ? ec2Errors.internal()
          : new Ec2Error(fault.code, fault.message ?? fault.code, fault.httpStatus ?? 400);
    return errorReply(error, randomUUID());
  }
}

export function startEc2Emulator(options: Ec2EmulatorOptions): Promise<Ec2Emulator> {
  return Ec2Emulator.start(options);
}

function xmlReply(status: number, body: string, requestId: string): Reply {
  // x-amzn-requestid is the only place the SDK reads $metadata.requestId from.
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId, server: 'AmazonEC2' },
    body,
  };
}

function errorReply(error: Ec2Error, requestId: string): Reply {
  return {
    ...xmlReply(error.status, errorEnvelope(error.code, error.message, requestId), requestId),
    errorCode: error.code,
  };
}
