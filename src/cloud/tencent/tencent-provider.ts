import type { Agent } from 'node:http';
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type {
  DescribeInstancesResponse,
  DescribeRegionsResponse,
  DescribeZonesResponse,
  Instance,
  RebootInstancesRequest,
  StartInstancesRequest,
  StopInstancesRequest,
} from 'tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js';
import { CallAborted, withDeadline } from '../call-deadline.js';
import { abortedCallError, type CloudCall, type CloudCallObserver, observeCall } from '../contract/call.js';
import type { ZoneInfo } from '../contract/definition.js';
import { CloudError, isCloudError } from '../contract/error.js';
import { batchTarget } from '../contract/provider.js';
import type {
  CloudCallOptions,
  CloudProvider,
  CloudTarget,
  DryRunCheck,
  InstanceDescription,
  PowerResult,
  RebootManyOptions,
  RebootMode,
  RebootOptions,
  RebootResult,
  StartOptions,
  StopOptions,
} from '../contract/provider.js';
import { RegionalClients } from '../regional-clients.js';
import { type Backoff, retrying } from '../retry.js';
import { agentConnectingTo, type CvmClient, createCvmClient } from './cvm-client.js';
import { DEFAULT_CVM_ENDPOINT, parseCvmEndpoint } from './cvm-endpoint.js';
import { cvmPowerState } from './cvm-state.js';
import { tencentCloud } from './tencent-cloud.js';
import { fixedCredential, TencentCredentialChain } from './tencent-credentials.js';
import { cvmCloudError, isTransient, provesNotExecuted } from './tencent-errors.js';
import { TencentZoneLookup } from './tencent-zone-lookup.js';

export interface TencentProviderOptions {
  /** Time budget of one CVM call, retries included. */
  timeoutMs: number;
  /** Requests per call for failures that are safe to repeat (see tencent-errors.ts). */
  maxAttempts: number;
  /** CVM endpoint (parseCvmEndpoint); default https://cvm.tencentcloudapi.com. */
  endpoint?: string;
  /** Connect to this IP address whatever the endpoint's host resolves to (tests keep the "cvm" signing service). */
  connectAddress?: string;
  /** Fixed keys. Without them: environment, credentials file, TKE OIDC, then the CVM role. */
  credential?: Credential;
  /** Never ask the metadata service for the CVM role. */
  metadataDisabled?: boolean;
  /** Retry delays; the SDK itself never retries. */
  backoff?: Backoff;
  /** How long the zone id table from DescribeZones is trusted (default 6 h). */
  zoneCacheTtlMs?: number;
  /** Told of every CVM call (metrics). */
  observer?: CloudCallObserver;
}

// Tencent's limits are per second (RebootInstances 10/s, DescribeZones 20/s): back off past the current second.
const DEFAULT_BACKOFF: Backoff = { baseDelayMs: 500, maxDelayMs: 4000 };
const DEFAULT_ZONE_CACHE_TTL_MS = 6 * 3_600_000;
const ZONE_LOOKUP_RETRY_AFTER_MS = 30_000;

type StopType = NonNullable<RebootInstancesRequest['StopType']>;

/** Each mode as RebootInstances StopType; the deprecated ForceReboot flag is never sent. */
const STOP_TYPES: Readonly<Record<RebootMode, StopType>> = {
  Soft: 'SOFT',
  Hard: 'HARD',
  SoftFirst: 'SOFT_FIRST',
};

const MODE_NOTES: Readonly<Record<RebootMode, string>> = {
  Soft: 'the OS is asked to reboot; the reboot fails if it does not',
  Hard: 'the instance is reset at once, as by a power cycle',
  SoftFirst: 'the OS is asked to reboot, and the instance is reset if it does not',
};

// States in which an action is under way; CVM refuses another until it ends.
const TRANSITIONAL_STATES = new Set(['PENDING', 'REBOOTING', 'STOPPING', 'STARTING']);

function stopType(mode: RebootMode): StopType {
  const type = Object.hasOwn(STOP_TYPES, mode) ? STOP_TYPES[mode] : undefined;
  if (type === undefined) {
    throw new CloudError({ kind: 'InvalidRequest', cloud: 'tencent', message: `unknown mode ${mode}` });
  }
  return type;
}

/** A mutating CVM action on one instance, and what its dry run checks. */
interface CvmAction {
  name: 'RebootInstances' | 'StopInstances' | 'StartInstances';
  params: object;
  /** The state a dry run requires. */
  needs: 'RUNNING' | 'STOPPED';
  verb: string;
  /** Further checks a dry run reports. */
  notes: DryRunCheck[];
}

/** CVM through tencentcloud-sdk-nodejs-cvm: one client per region, bounded retries the SDK does not do itself. */
export class TencentProvider implements CloudProvider {
  readonly cloud = 'tencent' as const;
  readonly rebootModes: readonly RebootMode[] = ['SoftFirst', 'Soft', 'Hard'];
  readonly #clients: RegionalClients<CvmClient>;
  readonly #credentials: DynamicCredential;
  readonly #agent?: Agent;
  readonly #zones: TencentZoneLookup;

  constructor(private readonly options: TencentProviderOptions) {
    const endpoint =
      options.endpoint === undefined ? DEFAULT_CVM_ENDPOINT : parseCvmEndpoint(options.endpoint);
    if (endpoint === undefined) throw new Error(`invalid CVM endpoint ${JSON.stringify(options.endpoint)}`);
    this.#agent =
      options.connectAddress === undefined
        ? undefined
        : agentConnectingTo(options.connectAddress, endpoint.protocol);
    this.#credentials =
      options.credential === undefined
        ? new TencentCredentialChain({ metadataDisabled: options.metadataDisabled ?? false })
        : fixedCredential(options.credential);
    const settings = {
      endpoint,
      credential: this.#credentials,
      timeoutMs: options.timeoutMs,
      ...(this.#agent !== undefined && { agent: this.#agent }),
    };
    // DescribeRegions takes no region: its client is kept under "".
    this.#clients = new RegionalClients((region) =>
      createCvmClient(region === '' ? undefined : region, settings),
    );
    this.#zones = new TencentZoneLookup(
      {
        regions: async () => {
          const out = await this.#request<DescribeRegionsResponse>(this.#call('DescribeRegions', ''), {});
          return (out.RegionSet ?? []).flatMap((r) => (r.Region === undefined ? [] : [r.Region]));
        },
        zones: async (region) => {
          const out = await this.#request<DescribeZonesResponse>(this.#call('DescribeZones', region), {});
          return (out.ZoneSet ?? []).flatMap((z) =>
            z.ZoneId === undefined || z.Zone === undefined ? [] : [{ zoneId: z.ZoneId, zone: z.Zone }],
          );
        },
      },
      {
        ttlMs: options.zoneCacheTtlMs ?? DEFAULT_ZONE_CACHE_TTL_MS,
        retryAfterMs: ZONE_LOOKUP_RETRY_AFTER_MS,
      },
    );
  }

  async reboot(target: CloudTarget, { mode, dryRun, signal }: RebootOptions): Promise<RebootResult> {
    return { ...(await this.#act(this.#rebootAction([target], mode), target, dryRun, signal)), mode };
  }

  /** One RebootInstances with up to 100 InstanceIds; CVM checks them all first and refuses the call if one is wrong. */
  async rebootMany(
    targets: readonly CloudTarget[],
    { mode, signal }: RebootManyOptions,
  ): Promise<RebootResult> {
    const action = this.#rebootAction(targets, mode);
    return { ...(await this.#act(action, batchTarget(targets), false, signal)), mode };
  }

  #rebootAction(targets: readonly CloudTarget[], mode: RebootMode): CvmAction {
    const StopType = stopType(mode);
    const InstanceIds = targets.map((t) => t.instanceId);
    return {
      name: 'RebootInstances',
      params: { InstanceIds, StopType } satisfies RebootInstancesRequest,
      needs: 'RUNNING',
      verb: 'rebooted',
      notes: [{ name: 'Mode', detail: `${mode} (StopType ${StopType}): ${MODE_NOTES[mode]}` }],
    };
  }

  /** KEEP_CHARGING: the instance keeps its resources (and its bill), so it can be started again as it was. */
  async stop(target: CloudTarget, { mode, dryRun, signal }: StopOptions): Promise<PowerResult> {
    const StopType = stopType(mode);
    const StoppedMode = 'KEEP_CHARGING';
    const action: CvmAction = {
      name: 'StopInstances',
      params: { InstanceIds: [target.instanceId], StopType, StoppedMode } satisfies StopInstancesRequest,
      needs: 'RUNNING',
      verb: 'stopped',
      notes: [{ name: 'Mode', detail: `${mode} (StopType ${StopType}, StoppedMode ${StoppedMode})` }],
    };
    return this.#act(action, target, dryRun, signal);
  }

  async start(target: CloudTarget, { dryRun, signal }: StartOptions): Promise<PowerResult> {
    const action: CvmAction = {
      name: 'StartInstances',
      params: { InstanceIds: [target.instanceId] } satisfies StartInstancesRequest,
      needs: 'STOPPED',
      verb: 'started',
      notes: [],
    };
    return this.#act(action, target, dryRun, signal);
  }

  async describe(target: CloudTarget, options: CloudCallOptions = {}): Promise<InstanceDescription> {
    const { instance, requestId } = await this.#instance(target, options.signal);
    const cloudState = instance.InstanceState ?? 'UNKNOWN';
    return { instanceId: target.instanceId, state: cvmPowerState(cloudState), cloudState, requestId };
  }

  /** Zone id → zone and region; a table read that outlasts the time budget still fills the cache for later lookups. */
  async lookupZone(zoneId: string): Promise<ZoneInfo | undefined> {
    try {
      return await withDeadline(this.options.timeoutMs, undefined, () => this.#zones.lookup(zoneId));
    } catch (error) {
      if (error instanceof CallAborted) throw abortedCallError(this.#call('DescribeZones', ''), error);
      const cause = error instanceof Error ? error.cause : undefined;
      throw new CloudError({
        kind: isCloudError(cause) ? cause.kind : 'Unavailable',
        cloud: 'tencent',
        outcome: 'not-acted', // reads change nothing
        message: `looking up zone id ${zoneId} failed: ${error instanceof Error ? error.message : String(error)}`,
        requestId: isCloudError(cause) ? cause.requestId : undefined,
        cause: error,
      });
    }
  }

  close(): void {
    this.#clients.closeAll();
    this.#agent?.destroy();
  }

  async #act(
    action: CvmAction,
    target: CloudTarget,
    dryRun: boolean,
    signal?: AbortSignal,
  ): Promise<PowerResult> {
    if (dryRun) return this.#preflight(action, target, signal);
    const out = await this.#request<{ RequestId?: string }>(
      this.#call(action.name, target.region, target.instanceId, true),
      action.params,
      signal,
    );
    return { requestId: out.RequestId };
  }

  /**
   * CVM has no DryRun for its actions: DescribeInstances shows the credentials work and the instance exists and is in
   * the state the action needs with no operation in flight, which is what the action checks apart from the CAM
   * permission.
   */
  async #preflight(action: CvmAction, target: CloudTarget, signal?: AbortSignal): Promise<PowerResult> {
    const { instance, requestId } = await this.#instance(target, signal);
    const state = instance.InstanceState ?? 'UNKNOWN';
    const operation = `${instance.LatestOperation ?? 'none'} ${instance.LatestOperationState ?? ''}`.trim();
    const refuse = (kind: 'OperationInProgress' | 'InvalidState', why: string) =>
      new CloudError({
        kind,
        cloud: 'tencent',
        requestId,
        message: `CVM instance ${target.instanceId} cannot be ${action.verb} now: ${why}`,
      });
    if (TRANSITIONAL_STATES.has(state) || instance.LatestOperationState === 'OPERATING') {
      throw refuse('OperationInProgress', `it is ${state}, latest operation ${operation}`);
    }
    if (state !== action.needs)
      throw refuse('InvalidState', `it is ${state}; only a ${action.needs} instance can be ${action.verb}`);
    return {
      requestId,
      dryRunReport: {
        checks: [
          {
            name: 'Credentials',
            detail: `Tencent Cloud accepted the server's credentials (DescribeInstances in ${target.region})`,
          },
          {
            name: 'InstanceState',
            detail: `CVM reports ${target.instanceId} ${state}, latest operation ${operation}`,
          },
          {
            name: 'Authorization',
            detail:
              `not verified: CVM ${action.name} has no dry run; the server needs the CAM permission ` +
              `cvm:${action.name}`,
          },
          ...action.notes,
        ],
      },
    };
  }

  async #instance(
    target: CloudTarget,
    signal?: AbortSignal,
  ): Promise<{ instance: Instance; requestId?: string }> {
    const out = await this.#request<DescribeInstancesResponse>(
      this.#call('DescribeInstances', target.region, target.instanceId),
      { InstanceIds: [target.instanceId] },
      signal,
    );
    // DescribeInstances leaves unknown ids out instead of failing.
    const instance = out.InstanceSet?.find((i) => i.InstanceId === target.instanceId);
    if (instance === undefined) {
      throw new CloudError({
        kind: 'InstanceNotFound',
        cloud: 'tencent',
        requestId: out.RequestId,
        message: `CVM instance ${target.instanceId} was not found in ${target.region}`,
      });
    }
    return { instance, requestId: out.RequestId };
  }

  #call(action: string, region: string, instanceId?: string, mutating = false): CloudCall {
    const { name: cloud, displayName } = tencentCloud;
    return { cloud, displayName, action, region, instanceId, mutating, attempts: 1 };
  }

  /**
   * One API call within the time budget. Credentials are resolved first, so that failing to get them is told apart
   * from a failed request (the SDK reports both as the same exception). A mutation is repeated only after failures
   * that prove it was not executed; a read also after internal errors, 5xx answers and network failures.
   */
  #request<T>(call: CloudCall, params: object, signal?: AbortSignal): Promise<T> {
    return observeCall(this.options.observer, call, () => this.#requestUnobserved<T>(call, params, signal));
  }

  async #requestUnobserved<T>(call: CloudCall, params: object, signal?: AbortSignal): Promise<T> {
    const client = this.#clients.get(call.region ?? '');
    let attempts = 0;
    try {
      return await withDeadline(this.options.timeoutMs, signal, async (deadline) => {
        await this.#credentials.getCredential();
        return retrying(
          () => {
            attempts += 1;
            return client.request(call.action, params, { signal: deadline.signal }) as Promise<T>;
          },
          {
            ...(this.options.backoff ?? DEFAULT_BACKOFF),
            maxAttempts: this.options.maxAttempts,
            deadline,
            shouldRetry: call.mutating ? provesNotExecuted : isTransient,
          },
        );
      });
    } catch (error) {
      throw cvmCloudError(error, { ...call, attempts: Math.max(1, attempts) });
    }
  }
}
