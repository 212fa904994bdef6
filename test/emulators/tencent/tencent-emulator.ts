import { randomUUID } from 'node:crypto';
import { CloudEmulator, type Dispatch, type IncomingCall, type Reply } from '../common/cloud-emulator.js';
import { INSTANCE_ACTIONS, type CallRecord } from '../common/call-log.js';
import { toKeyRing, type CredentialsConfig, type KeyRing } from '../common/credentials.js';
import type { CloudErrorFault } from '../common/faults.js';
import { firstHeader } from '../common/request-parts.js';
import { verifyTc3 } from './tc3-verifier.js';
import { isKnownAction, REGIONLESS_ACTIONS, runAction } from './tencent-actions.js';
import { TencentError, tencentErrors } from './tencent-errors.js';
import {
  CvmInstance,
  type CvmInstanceSeed,
  type CvmInstanceSnapshot,
  type CvmState,
} from './tencent-instances.js';
import type { Params } from './tencent-params.js';
import { DEFAULT_ZONES, regionOfZone, type ZoneInfo } from './tencent-zones.js';

const CVM_VERSION = '2017-03-12';

export interface TencentEmulatorOptions {
  /** SecretId -> SecretKey (or a KeySpec with a session token, sent as X-TC-Token, and allowed actions). */
  credentials: CredentialsConfig;
  instances?: CvmInstanceSeed[];
  /** How long an instance stays REBOOTING, in milliseconds (default 200). */
  rebootMs?: number;
  /** How long STOPPING and STARTING last, in milliseconds (default 100). */
  transitionMs?: number;
  /** DescribeZones data; default: the known zone-id table. */
  zones?: ZoneInfo[];
  /** Default 0: any free port. */
  port?: number;
}

/** Tencent Cloud CVM API 3.0 (2017-03-12) on 127.0.0.1, with TC3-HMAC-SHA256 verification. */
export class TencentEmulator extends CloudEmulator<
  CvmInstanceSeed,
  CvmState,
  CvmInstanceSnapshot,
  CvmInstance
> {
  readonly #keys: KeyRing;
  readonly #zones: readonly ZoneInfo[];

  private constructor(options: TencentEmulatorOptions) {
    const durations = { rebootMs: options.rebootMs ?? 200, transitionMs: options.transitionMs ?? 100 };
    super((seed, ordinal) => new CvmInstance(seed, ordinal, durations), options.instances);
    this.#keys = toKeyRing(options.credentials);
    this.#zones = options.zones ?? DEFAULT_ZONES;
  }

  static async start(options: TencentEmulatorOptions): Promise<TencentEmulator> {
    const emulator = new TencentEmulator(options);
    await emulator.listen(options.port);
    return emulator;
  }

  /** "127.0.0.1:PORT", the form httpProfile.endpoint takes (with protocol "http://"). */
  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Regions with known zones or seeded instances; any other X-TC-Region gets UnsupportedRegion. */
  regions(): string[] {
    return [...new Set([...this.#zones.map((z) => regionOfZone(z.Zone)), ...this.store.regions()])];
  }

  protected dispatch(request: IncomingCall): Dispatch {
    const header = (name: string) => firstHeader(request, name);
    const action = header('x-tc-action') ?? '';
    const region = header('x-tc-region');
    const body = parseJsonObject(request.body);
    const auth = verifyTc3(request, this.#keys);
    return {
      call: {
        action,
        region,
        params: body ?? {},
        accessKeyId: auth.secretId,
        signatureValid: auth.failure === undefined,
        ...(auth.scope !== undefined && { signingScope: auth.scope }),
      },
      respond: () => {
        const requestId = randomUUID();
        try {
          if (request.method !== 'POST') throw tencentErrors.unsupportedProtocol(request.method);
          if (action === '') throw tencentErrors.missingParameter('Action');
          if (auth.failure) throw new TencentError(auth.failure.code, auth.failure.message);
          if (!isKnownAction(action)) throw tencentErrors.invalidAction(action);
          const version = header('x-tc-version');
          if (version !== CVM_VERSION) {
            throw version === undefined
              ? tencentErrors.missingParameter('Version')
              : tencentErrors.noSuchVersion(version);
          }
          if (body === undefined)
            throw tencentErrors.invalidParameter('The request body is not a JSON object.');
          const regions = this.regions();
          if (!REGIONLESS_ACTIONS.has(action)) {
            if (region === undefined) throw tencentErrors.missingParameter('Region');
            if (!regions.includes(region)) throw tencentErrors.unsupportedRegion(region);
          }
          const result = runAction({
            action,
            params: body,
            region: region ?? '',
            requestId,
            key: auth.key!,
            store: this.store,
            zones: this.#zones,
            regions,
          });
          const instanceIds = INSTANCE_ACTIONS.has(action) ? body['InstanceIds'] : undefined;
          return {
            ...jsonReply({ ...result, RequestId: requestId }, request),
            ...(Array.isArray(instanceIds) && { executed: instanceIds.map(String) }),
          };
        } catch (err) {
          if (err instanceof TencentError) return errorReply(err, requestId, request);
          throw err;
        }
      },
    };
  }

  protected cloudError(fault: CloudErrorFault, _call: CallRecord, request: IncomingCall): Reply {
    const error =
      fault.fault === 'throttle'
        ? tencentErrors.throttled()
        : fault.fault === 'internal-error'
          ? tencentErrors.internal()
          : new TencentError(fault.code, fault.message ?? fault.code);
    return errorReply(error, randomUUID(), request);
  }
}

export function startTencentEmulator(options: TencentEmulatorOptions): Promise<TencentEmulator> {
  return TencentEmulator.start(options);
}

function parseJsonObject(body: Buffer): Params | undefined {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Params)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Always HTTP 200; echoing X-TC-TraceId lets the SDK fill err.traceId. */
function jsonReply(response: Record<string, unknown>, request: IncomingCall): Reply {
  const traceId = firstHeader(request, 'x-tc-traceid');
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      ...(traceId !== undefined && { 'x-tc-traceid': traceId }),
    },
    body: JSON.stringify({ Response: response }),
  };
}

function errorReply(error: TencentError, requestId: string, request: IncomingCall): Reply {
  const reply = jsonReply(
    { Error: { Code: error.code, Message: error.message }, RequestId: requestId },
    request,
  );
  return { ...reply, errorCode: error.code };
}
