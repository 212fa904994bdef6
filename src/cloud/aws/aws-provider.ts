import {
  DescribeInstancesCommand,
  EC2Client,
  type EC2ClientConfig,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { withDeadline } from '../call-deadline.js';
import { type CloudCall, type CloudCallObserver, observeCall } from '../contract/call.js';
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
import { awsCloud } from './aws-cloud.js';
import { ec2CloudError } from './aws-errors.js';
import { ec2PowerState } from './ec2-state.js';
import { retryOnlyUnexecuted } from './reboot-at-most-once.js';

export interface AwsProviderOptions {
  /** Time budget of one EC2 call, the SDK's retries included. */
  timeoutMs: number;
  /** Requests per call for failures the SDK retries (throttling; for reads also 5xx answers and network errors). */
  maxAttempts: number;
  /** EC2 endpoint URL. Without it the SDK reads AWS_ENDPOINT_URL_EC2, else uses the regional endpoint. */
  endpoint?: string;
  /**
   * Fixed credentials. Without them the SDK's default chain finds them (aws/aws-sdk-js-v3
   * packages/credential-provider-node/src/defaultProvider.ts).
   */
  credentials?: EC2ClientConfig['credentials'];
  /** Told of every EC2 call (metrics). */
  observer?: CloudCallObserver;
}

const MODE_APPLIED: RebootMode = 'SoftFirst';
const MODE_NOTE =
  'EC2 RebootInstances asks the OS to reboot and forces a reboot if it has not rebooted within about four minutes';

/** How each mode stops an instance: EC2's Force falls back to a forced stop, SkipOsShutdown powers off at once. */
const STOP_FLAGS: Readonly<Record<RebootMode, { Force?: boolean; SkipOsShutdown?: boolean }>> = {
  Soft: {},
  SoftFirst: { Force: true },
  Hard: { SkipOsShutdown: true },
};

const STOP_NOTES: Readonly<Record<RebootMode, string>> = {
  Soft: 'StopInstances asks the OS to shut down and waits for it',
  SoftFirst:
    'StopInstances with Force asks the OS to shut down, and stops the instance forcibly if it does not',
  Hard: 'StopInstances with SkipOsShutdown powers the instance off without shutting the OS down',
};

/** A mutating EC2 action on one instance, and what its dry run checks. */
interface Ec2Action {
  name: 'RebootInstances' | 'StopInstances' | 'StartInstances';
  /** DryRun is true for the preflight and undefined (not sent) otherwise. */
  command(DryRun: true | undefined): RebootInstancesCommand | StopInstancesCommand | StartInstancesCommand;
  /** The state a dry run requires. */
  needs: 'running' | 'stopped';
  verb: string;
  /** Further checks a dry run reports. */
  notes: DryRunCheck[];
}

/** EC2 through @aws-sdk/client-ec2: one client per region, credentials from the SDK's default chain. */
export class AwsProvider implements CloudProvider {
  readonly cloud = 'aws' as const;
  /**
   * What EC2 does is SoftFirst. Soft is accepted and performed the same way, as EC2 has no reboot without the
   * fallback. Hard is refused rather than quietly softened: EC2 has no immediate reset.
   */
  readonly rebootModes: readonly RebootMode[] = ['SoftFirst', 'Soft'];
  readonly #clients: RegionalClients<EC2Client>;

  constructor(private readonly options: AwsProviderOptions) {
    this.#clients = new RegionalClients(
      (region) =>
        new EC2Client({
          region,
          maxAttempts: options.maxAttempts,
          ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
          ...(options.credentials !== undefined && { credentials: options.credentials }),
        }),
      (client) => client.destroy(),
    );
  }

  async reboot(target: CloudTarget, { mode, dryRun, signal }: RebootOptions): Promise<RebootResult> {
    this.#checkMode(target, mode);
    const action = this.#rebootAction([target]);
    return { ...(await this.#act(action, target, dryRun, signal)), mode: MODE_APPLIED };
  }

  /** One RebootInstances with every instance; EC2 checks them all first and refuses the call if one is wrong. */
  async rebootMany(
    targets: readonly CloudTarget[],
    { mode, signal }: RebootManyOptions,
  ): Promise<RebootResult> {
    const batch = batchTarget(targets);
    this.#checkMode(batch, mode);
    return { ...(await this.#mutate(this.#rebootAction(targets), batch, signal)), mode: MODE_APPLIED };
  }

  #checkMode(target: CloudTarget, mode: RebootMode): void {
    if (this.rebootModes.includes(mode)) return;
    throw new CloudError({
      kind: 'Unsupported',
      cloud: 'aws',
      field: 'mode',
      message:
        `EC2 cannot reboot ${target.instanceId} (node ${target.nodeName}) in mode ${mode}: ${MODE_NOTE}, and ` +
        'has no immediate reset. Use mode SoftFirst (Soft is performed the same way), or stop and start the instance',
    });
  }

  #rebootAction(targets: readonly CloudTarget[]): Ec2Action {
    const InstanceIds = targets.map((t) => t.instanceId);
    return {
      name: 'RebootInstances',
      command: (DryRun) => new RebootInstancesCommand({ InstanceIds, DryRun }),
      needs: 'running',
      verb: 'rebooted',
      notes: [{ name: 'Mode', detail: `${MODE_APPLIED}: ${MODE_NOTE}` }],
    };
  }

  async stop(target: CloudTarget, { mode, dryRun, signal }: StopOptions): Promise<PowerResult> {
    const action: Ec2Action = {
      name: 'StopInstances',
      command: (DryRun) =>
        new StopInstancesCommand({ InstanceIds: [target.instanceId], ...STOP_FLAGS[mode], DryRun }),
      needs: 'running',
      verb: 'stopped',
      notes: [{ name: 'Mode', detail: `${mode}: ${STOP_NOTES[mode]}` }],
    };
    return this.#act(action, target, dryRun, signal);
  }

  async start(target: CloudTarget, { dryRun, signal }: StartOptions): Promise<PowerResult> {
    const action: Ec2Action = {
      name: 'StartInstances',
      command: (DryRun) => new StartInstancesCommand({ InstanceIds: [target.instanceId], DryRun }),
      needs: 'stopped',
      verb: 'started',
      notes: [],
    };
    return this.#act(action, target, dryRun, signal);
  }

  async describe(target: CloudTarget, options: CloudCallOptions = {}): Promise<InstanceDescription> {
    const command = new DescribeInstancesCommand({ InstanceIds: [target.instanceId] });
    const output = await this.#send(
      this.#call('DescribeInstances', target, false),
      options.signal,
      (client, abortSignal) => client.send(command, { abortSignal }),
    );
    const instance = output.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (i) => i.InstanceId === target.instanceId,
    );
    const requestId = output.$metadata.requestId;
    if (instance === undefined) {
      throw new CloudError({
        kind: 'InstanceNotFound',
        cloud: 'aws',
        requestId,
        message: `EC2 instance ${target.instanceId} was not found in ${target.region}`,
      });
    }
    const cloudState = instance.State?.Name ?? 'unknown';
    return { instanceId: target.instanceId, state: ec2PowerState(cloudState), cloudState, requestId };
  }

  close(): void {
    this.#clients.closeAll();
  }

  #act(action: Ec2Action, target: CloudTarget, dryRun: boolean, signal?: AbortSignal): Promise<PowerResult> {
    return dryRun ? this.#preflight(action, target, signal) : this.#mutate(action, target, signal);
  }

  async #mutate(action: Ec2Action, target: CloudTarget, signal?: AbortSignal): Promise<PowerResult> {
    const command = retryOnlyUnexecuted(action.command(undefined));
    const output = await this.#send(this.#call(action.name, target, true), signal, (client, abortSignal) =>
      client.send(command, { abortSignal }),
    );
    return { requestId: output.$metadata.requestId };
  }

  /** The action with DryRun=true proves the permission; DescribeInstances shows the instance is in a state for it. */
  async #preflight(action: Ec2Action, target: CloudTarget, signal?: AbortSignal): Promise<PowerResult> {
    const requestId = await this.#dryRun(action, target, signal);
    const described = await this.describe(target, { signal });
    if (described.state !== action.needs) {
      throw new CloudError({
        kind: 'InvalidState',
        cloud: 'aws',
        requestId: described.requestId,
        message: `EC2 instance ${target.instanceId} is ${described.cloudState}; only a ${action.needs} instance can be ${action.verb}`,
      });
    }
    return {
      requestId,
      dryRunReport: {
        checks: [
          {
            name: 'Authorization',
            detail: `EC2 ${action.name} with DryRun=true for ${target.instanceId} in ${target.region} would have succeeded`,
          },
          {
            name: 'InstanceState',
            detail: `EC2 DescribeInstances reports ${target.instanceId} ${described.cloudState}`,
          },
          ...action.notes,
        ],
      },
    };
  }

  /** The request id of the DryRunOperation answer, which is how EC2 says "would have succeeded". */
  async #dryRun(action: Ec2Action, target: CloudTarget, signal?: AbortSignal): Promise<string | undefined> {
    const command = action.command(true);
    try {
      await this.#send(this.#call(action.name, target, false), signal, (client, abortSignal) =>
        client.send(command, { abortSignal }),
      );
    } catch (error) {
      if (isCloudError(error) && error.code === 'DryRunOperation') return error.requestId;
      throw error;
    }
    throw new CloudError({
      kind: 'Internal',
      cloud: 'aws',
      outcome: 'not-acted',
      message: `EC2 accepted ${action.name} for ${target.instanceId} with DryRun=true without answering DryRunOperation`,
    });
  }

  #call(action: string, target: CloudTarget, mutating: boolean): CloudCall & { region: string } {
    return {
      cloud: awsCloud.name,
      displayName: awsCloud.displayName,
      action,
      instanceId: target.instanceId,
      region: target.region,
      mutating,
      attempts: 1,
    };
  }

  #send<Output>(
    call: CloudCall & { region: string },
    signal: AbortSignal | undefined,
    send: (client: EC2Client, abortSignal: AbortSignal) => Promise<Output>,
  ): Promise<Output> {
    return observeCall(this.options.observer, call, () => this.#sendUnobserved(call, signal, send));
  }

  async #sendUnobserved<Output>(
    call: CloudCall & { region: string },
    signal: AbortSignal | undefined,
    send: (client: EC2Client, abortSignal: AbortSignal) => Promise<Output>,
  ): Promise<Output> {
    const client = this.#clients.get(call.region);
    try {
      return await withDeadline(this.options.timeoutMs, signal, (deadline) => send(client, deadline.signal));
    } catch (error) {
      throw ec2CloudError(error, call);
    }
  }
}
